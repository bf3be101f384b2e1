// Enhancements of the forms page(s); the page works without them.
