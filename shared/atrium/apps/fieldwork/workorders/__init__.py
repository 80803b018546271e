"""Work orders: a visit to a customer's assemblies, its line items, its lifecycle from draft to closed, the testers'
schedules by day and the customer's emails when a visit is booked, moved or canceled."""
