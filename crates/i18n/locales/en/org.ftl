## Console: purposes, approved lists, consents (web-org-…).
