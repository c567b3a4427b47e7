"""The judge audit: probe debates judged under controlled changes, and what they show."""
