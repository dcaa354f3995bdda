//! The console's organization, API keys and webhooks pages, over HTTP and in the browser.
