"""District submissions: signed test reports queued per water district, sent in batches (a PDF of each report in
the district's form and a CSV summary, stored with their SHA-256 and emailed), and the district's answer."""
