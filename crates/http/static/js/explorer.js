// Enhancements of the explorer page(s); the page works without them.
