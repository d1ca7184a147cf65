"""Where the tests read the seed documents: the copy in docs/seeds/, so every
quote is checked on any checkout (CI included), not only beside ../shared."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "docs" / "seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"   # the originals, where a checkout has them
