"""The conversation engine. It knows no chat app, no database and no network."""
