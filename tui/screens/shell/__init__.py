"""The frame around the activities: home, first run, settings, help, and the too-small notice."""
