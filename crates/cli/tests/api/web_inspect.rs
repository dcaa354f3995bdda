//! The inspector's view, over HTTP and in the browser.
