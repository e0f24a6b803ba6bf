"""Reading reports from the web: polite fetching with a cache, and following a
body's 年度报告 column page to the report of a year.  See docs/annual-cli.md."""
