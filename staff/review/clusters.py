"""Group unanswered messages by meaning: jieba words + character n-grams, TF-IDF, cosine.

Paraphrases that share words or characters ("发票怎么开" / "能开发票吗") land in
one group; a question with different words in another. Meaning without shared
characters (synonyms only) is beyond lexical features: the owner merges such
groups by hand in the draft.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

from shared.chinese_text import to_simplified

REPO_ROOT = Path(__file__).resolve().parents[2]
JIEBA_DICTIONARY_DIR = REPO_ROOT / "data" / "jieba"
# Average-linkage cosine distance under which two groups are merged: measured on
# the paraphrase sets in tests/staff/test_review_clusters.py.
DISTANCE_THRESHOLD = 0.85
# Distinct texts clustered pairwise: the distance matrix is this squared (2,000 -> 32 MB).
MAX_CLUSTERED = 2000
_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)
# Particles, pronouns and politeness every buyer question has: they say nothing
# about the topic, and in short messages they would outweigh it.
FILLER_WORDS = frozenset(
    "亲 您好 你好 请问 麻烦 一下 我 我们 你 你们 您 他 她 它 这 那 这个 那个 吗 呢 吧 啊 呀 哦 嘛 了 的 地 得 "
    "是 有 就 都 还 也 能 能不能 可以 可不可以 会 要 想 给 帮 帮我 怎么 怎么办 怎样 如何 什么 为什么 "
    "啥 多久 么 不 没 没有".split()
)
FILLER_CHARACTERS = frozenset("我你您他她它吗呢吧啊呀哦嘛了的地得么")


@dataclass
class Group:
    """Indexes into the clustered texts, most typical first."""

    members: List[int]

    @property
    def size(self) -> int:
        return len(self.members)


def normalise(text: str) -> str:
    """One spelling per word: simplified characters, half-width, lower case, no punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCTUATION.sub(" ", to_simplified(text)).strip()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    tokenizer = jieba.Tokenizer()
    for dictionary in sorted(JIEBA_DICTIONARY_DIR.glob("*")):  # the bot's own domain words
        if dictionary.is_file():
            tokenizer.load_userdict(str(dictionary))
    return tokenizer


def words(text: str) -> List[str]:
    return [w for w in _jieba().lcut(text) if w.strip() and w not in FILLER_WORDS]


def characters(text: str) -> str:
    return "".join(ch for ch in text if ch not in FILLER_CHARACTERS)


def features(normalised: Sequence[str]):
    """L2-normalised TF-IDF of jieba words beside character 2-3-grams (of normalised texts)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    blocks = []
    for vectorizer, inputs in (
        (TfidfVectorizer(analyzer=words, sublinear_tf=True), normalised),
        (TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True),
         [characters(t) for t in normalised]),
    ):
        try:
            blocks.append(vectorizer.fit_transform(inputs))
        except ValueError:  # empty vocabulary: nothing but fillers or single characters
            blocks.append(csr_matrix((len(normalised), 1)))
    return normalize(hstack(blocks).tocsr())


def cluster(texts: Sequence[str], threshold: float = DISTANCE_THRESHOLD,
            limit: int = MAX_CLUSTERED) -> List[Group]:
    """Groups of texts, largest first; members ordered by closeness to their group's centre.

    Identical texts (after normalising) are clustered once. The `limit` most
    frequent distinct texts are clustered pairwise (memory grows with its
    square); any further ones join the nearest group within the threshold or
    stand alone.
    """
    if not texts:
        return []
    copies: Dict[str, List[int]] = defaultdict(list)
    for index, text in enumerate(texts):
        copies[normalise(text)].append(index)
    distinct = sorted(copies, key=lambda key: (-len(copies[key]), copies[key][0]))
    vectors = features(distinct)
    head = min(limit, len(distinct))
    labels = list(_agglomerate(vectors[:head], threshold)) if head > 1 else [0] * head
    centres = _centres(vectors[:head], labels)
    for row in range(head, len(distinct)):  # beyond the limit: nearest centre, or alone
        similarity = (centres @ vectors[row].T).toarray().ravel() if centres.shape[0] else np.array([])
        best = int(similarity.argmax()) if similarity.size else -1
        labels.append(best if best >= 0 and 1 - similarity[best] < threshold else max(labels, default=-1) + 1)
        if labels[-1] == centres.shape[0]:
            centres = _centres(vectors[: row + 1], labels)
    groups = []
    for label in sorted(set(labels)):
        rows = [r for r, lab in enumerate(labels) if lab == label]
        centre = _centres(vectors[rows], [0] * len(rows))
        closeness = (vectors[rows] @ centre.T).toarray().ravel()
        ordered = [rows[i] for i in np.argsort(-closeness, kind="stable")]
        groups.append(Group([i for r in ordered for i in copies[distinct[r]]]))
    return sorted(groups, key=lambda g: (-g.size, min(g.members)))


def _agglomerate(vectors, threshold: float):
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    distances = cosine_distances(vectors)
    # Texts with no features at all (emoji, "？？？") are alike to each other, not to the rest.
    empty = np.asarray(vectors.getnnz(axis=1) == 0)
    distances[np.ix_(empty, empty)] = 0.0
    return AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, affinity="precomputed", linkage="average"
    ).fit_predict(distances)


def _centres(vectors, labels: Sequence[int]):
    """One L2-normalised mean vector per label (rows in label order)."""
    from scipy.sparse import csr_matrix, vstack
    from sklearn.preprocessing import normalize

    count = max(labels, default=-1) + 1
    rows = []
    for label in range(count):
        members = [r for r, lab in enumerate(labels) if lab == label]
        rows.append(csr_matrix(vectors[members].mean(axis=0)))
    return normalize(vstack(rows).tocsr()) if rows else csr_matrix((0, vectors.shape[1]))
