//! The console's purposes, approved lists and consents pages, over HTTP and in the browser.
