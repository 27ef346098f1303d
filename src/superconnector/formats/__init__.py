"""Date and time formats per interface language (Django's FORMAT_MODULE_PATH).

Django's own English formats read "Dec. 7, 2026" (DATE_FORMAT) and "12/07/2026"
(SHORT_DATE_FORMAT), and Hong Kong and British readers take the second for 12 July. Every
language here writes the day, the month as a word (or with 月) and the full year, and times
on the 24-hour clock, so no date on a page can be read two ways. Templates use the named
formats ("DATE_FORMAT", "DATETIME_FORMAT", ...) or no format at all, never their own.
Only display formats are set; input formats stay Django's.
"""
