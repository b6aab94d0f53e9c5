"""Rasa NLU component: tf-idf weighted word or character n-grams of the message text.

Two things Rasa's CountVectorsFeaturizer cannot do, which decide short answers:
- Words keep the message's punctuation and a start marker. "non, aucun souci" (a no) starts
  with "<s> non ,"; "non connu" (an answer: unknown) with "<s> non connu". "?" separates a
  question about the form from an answer.
- Each featurizer weights and L2-normalises its own block. A single tf-idf over words and
  character n-grams together lets the ~25,000 character n-grams drown the words.

Only sentence features are produced: the intent classifier reads nothing else. The fitted
state is a vocabulary (JSON) and the idf weights (a NumPy array), so loading a model runs
no pickle.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer

START = "<s>"
ANALYZERS = ("word", "char_wb")
# Marks that change what a short message means; other symbols are dropped.
_WORD_OR_MARK = re.compile(r"\w+|[,.!?;:]")
_WORD = re.compile(r"\w+")


def word_tokens(text: str) -> list[str]:
    """Lower-cased words and punctuation marks after a start marker. Apostrophes split
    ("n'a" -> "n", "a"), as in Rasa's WhitespaceTokenizer."""
    return [START, *_WORD_OR_MARK.findall(text.lower())]


def char_text(text: str) -> str:
    """The words only, lower-cased, for character n-grams within word boundaries."""
    return " ".join(_WORD.findall(text.lower()))


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    return [" ".join(tokens[i:i + n]) for n in range(low, high + 1)
            for i in range(len(tokens) - n + 1)]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class TfidfNgramFeaturizer(SparseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            "analyzer": "word",
            "min_ngram": 1,
            "max_ngram": 2,
            # log(1 + count): a word typed twice is not twice the evidence.
            "sublinear_tf": True,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config["analyzer"] not in ANALYZERS:
            raise InvalidConfigException(f"analyzer must be one of {ANALYZERS}")
        if not 1 <= config["min_ngram"] <= config["max_ngram"]:
            raise InvalidConfigException("need 1 <= min_ngram <= max_ngram")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfNgramFeaturizer:
        return cls(config, model_storage, resource, execution_context)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        vocabulary: dict[str, int] | None = None,
        idf: np.ndarray | None = None,
    ) -> None:
        config = {**self.get_default_config(), **config}
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizer = self._new_vectorizer(vocabulary)
        if vocabulary is not None and idf is not None:
            self.vectorizer.idf_ = idf

    def _new_vectorizer(self, vocabulary: dict[str, int] | None) -> TfidfVectorizer:
        low, high = self._config["min_ngram"], self._config["max_ngram"]
        if self._config["analyzer"] == "word":
            # A callable analyzer takes the raw text: our tokens, then their n-grams.
            options: dict[str, Any] = {
                "analyzer": lambda text: word_ngrams(word_tokens(text), low, high)}
        else:
            options = {"analyzer": "char_wb", "preprocessor": char_text,
                       "ngram_range": (low, high)}
        return TfidfVectorizer(**options, lowercase=False, vocabulary=vocabulary,
                               sublinear_tf=self._config["sublinear_tf"], dtype=np.float64)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [m.get(TEXT) for m in training_data.training_examples if m.get(TEXT)]
        if texts:
            self.vectorizer.fit(texts)
            self.persist()
        return self._resource

    def _is_trained(self) -> bool:
        return hasattr(self.vectorizer, "vocabulary_")

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._is_trained():
            return messages
        with_text = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not with_text:
            return messages
        # One transform for the batch: training data comes as thousands of messages at once.
        rows = self.vectorizer.transform([m.get(TEXT) for m in with_text])
        for message, row in zip(with_text, rows, strict=True):
            self.add_features_to_message(None, scipy.sparse.coo_matrix(row), TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            vocabulary = {term: int(i) for term, i in self.vectorizer.vocabulary_.items()}
            (model_dir / "vocabulary.json").write_text(json.dumps(vocabulary),
                                                       encoding="utf-8")
            np.save(model_dir / "idf.npy", self.vectorizer.idf_, allow_pickle=False)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfNgramFeaturizer:
        try:
            with model_storage.read_from(resource) as model_dir:
                vocabulary = json.loads((model_dir / "vocabulary.json").read_text("utf-8"))
                idf = np.load(model_dir / "idf.npy", allow_pickle=False)
        except (ValueError, FileNotFoundError):
            # Nothing was trained (no NLU data): an untrained featurizer adds nothing.
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, execution_context, vocabulary, idf)
