"""kg: turn English and Chinese tech and business news into a knowledge graph."""

__version__ = "0.1.0"
