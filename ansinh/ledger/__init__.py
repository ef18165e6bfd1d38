"""The funds' double-entry books: the chart, entries and lines, the trial balance."""
