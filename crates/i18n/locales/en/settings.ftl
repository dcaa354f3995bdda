## Console: the organization, API keys, webhooks (web-settings-…).
