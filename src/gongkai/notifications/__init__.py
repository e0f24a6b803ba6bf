"""Notifications: events turned into e-mail, SMS and in-app messages (docs/notifications.md)."""
