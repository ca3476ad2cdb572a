"""Python op builders of the dp dialect, generated from its ODS."""
