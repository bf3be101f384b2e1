// Enhancements of the imports page(s); the page works without them.
