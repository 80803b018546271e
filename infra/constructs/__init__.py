"""One construct per capability: layers, data, mail, events, functions, api, observability."""
