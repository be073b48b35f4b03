"""This app stores nothing. A deputy's file (一人一档) is read from the source apps each time it
is asked for (decision 0036), so it never disagrees with them; the station-year zip is an export
job of the jobs app (`jobs.py`, decision 0044's follow-up)."""
