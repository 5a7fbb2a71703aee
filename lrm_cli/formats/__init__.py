"""File formats: pure conversions between domain data and vCard, iCalendar, JSON and vdir
folders. The only users of vobject and icalendar, imported lazily inside functions."""
