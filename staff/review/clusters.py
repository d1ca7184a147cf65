"""Group unanswered messages by meaning: jieba words + character n-grams, TF-IDF, cosine.

Paraphrases that share words or characters ("发票怎么开" / "能开发票吗") land in
one group; a question with different words in another. Meaning without shared
characters (synonyms only) is beyond lexical features: the owner merges such
groups by hand in the draft.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
JIEBA_DICTIONARY_DIR = REPO_ROOT / "data" / "jieba"
# Average-linkage cosine distance under which two groups are merged: measured on
# the paraphrase sets in tests/staff/test_review_clusters.py.
DISTANCE_THRESHOLD = 0.85
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


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")


def normalise(text: str) -> str:
    """One spelling per word: simplified characters, half-width, lower case, no punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCTUATION.sub(" ", _opencc().convert(text)).strip()


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


def features(texts: Sequence[str]):
    """L2-normalised TF-IDF of jieba words beside character 2-3-grams."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    normalised = [normalise(t) for t in texts]
    word_vectors = TfidfVectorizer(analyzer=words, sublinear_tf=True).fit_transform(normalised)
    char_vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True
    ).fit_transform([characters(t) for t in normalised])
    return normalize(hstack([word_vectors, char_vectors]).tocsr())


def cluster(texts: Sequence[str], threshold: float = DISTANCE_THRESHOLD) -> List[Group]:
    """Groups of texts, largest first; members ordered by closeness to their group's centre."""
    if not texts:
        return []
    if len(texts) == 1:
        return [Group([0])]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    vectors = features(texts)
    if vectors.nnz == 0:  # nothing but punctuation or emoji: one group
        return [Group(list(range(len(texts))))]
    distances = cosine_distances(vectors)
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, affinity="precomputed", linkage="average"
    ).fit_predict(distances)
    groups = []
    for label in set(labels):
        members = [i for i, l in enumerate(labels) if l == label]
        closeness = distances[np.ix_(members, members)].mean(axis=1)
        groups.append(Group([members[i] for i in np.argsort(closeness, kind="stable")]))
    return sorted(groups, key=lambda g: (-g.size, g.members[0]))
