"""Phone numbers, by libphonenumber's matcher (``phonenumbers``, its lite build: no geocoding or carrier data).

A number counts when it is valid in its numbering plan: national forms are read in ``region`` (a tenant's country,
"US" by default), international ones ("+44 20 7946 0958", "+1-212-555-0100") in their own. The matcher already
leaves dates, times and numbers glued to letters alone; a number labelled as a reference ("Order 2025550143",
"#2025550143") is not a phone number whatever it would dial.
"""

from collections.abc import Iterator

from atrium.compliance.pii.findings import PiiFinding, PiiKind
from atrium.compliance.pii.labels import labelled_as_reference


def find_phones(text: str, region: str) -> Iterator[PiiFinding]:
    # Imported at the first text to read: every model declaring free text imports the detector, and most
    # functions that load those models never screen a text.
    from phonenumbers import Leniency, PhoneNumberMatcher

    for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        if not labelled_as_reference(text, match.start):
            yield PiiFinding(PiiKind.PHONE, match.start, match.end, match.raw_string)
