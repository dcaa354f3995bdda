## The inspector's view (web-inspect-…).
