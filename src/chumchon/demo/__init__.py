"""The demo world: a small, real-looking Thailand that every screen can show (`chumchon demo`)."""
