"""The n-gram featurizer: its own tokens (punctuation, start marker), one tf-idf block per
featurizer, and a model that reloads from JSON and NumPy files into the same features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ngram_featurizer import TfidfNgramFeaturizer, char_text, word_ngrams, word_tokens

TEXTS = ["non, aucun souci médical", "non connu", "pourquoi ?", "elle vit à Goma",
         "no, she didn't", "no papers"]


def _featurizer(tmp_path: Path, **config) -> tuple[TfidfNgramFeaturizer, LocalModelStorage]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    resource = Resource(f"ngrams_{config.get('analyzer', 'word')}")
    context = ExecutionContext(None, resource.name)  # type: ignore[arg-type]
    return TfidfNgramFeaturizer.create(config, storage, resource, context), storage


def _trained(tmp_path: Path, **config) -> TfidfNgramFeaturizer:
    featurizer, _ = _featurizer(tmp_path, **config)
    featurizer.train(TrainingData([Message(data={"text": t, "intent": "x"}) for t in TEXTS]))
    return featurizer


def _sentence(featurizer: TfidfNgramFeaturizer, text: str) -> np.ndarray:
    [message] = featurizer.process([Message(data={"text": text})])
    sequence, sentence = message.get_sparse_features("text")
    assert sequence is None  # the classifier reads sentence features only
    return sentence.features.toarray()[0]


def _terms(featurizer: TfidfNgramFeaturizer, text: str) -> set[str]:
    vector = _sentence(featurizer, text)
    names = featurizer.vectorizer.get_feature_names_out()
    return {names[i] for i in np.flatnonzero(vector)}


def test_registered_as_a_trainable_featurizer() -> None:
    registered = DefaultV1Recipe._from_registry("bot.nlu.ngram_featurizer.TfidfNgramFeaturizer")
    assert registered.clazz is TfidfNgramFeaturizer
    assert registered.is_trainable
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types


def test_words_keep_punctuation_and_the_start() -> None:
    assert word_tokens("Non, aucun souci!") == ["<s>", "non", ",", "aucun", "souci", "!"]
    assert word_tokens("il n'a pas") == ["<s>", "il", "n", "a", "pas"]
    assert word_ngrams(["<s>", "non", ","], 1, 2) == ["<s>", "non", ",", "<s> non", "non ,"]
    assert char_text("Non, aucun souci!") == "non aucun souci"


def test_a_no_and_an_unknown_differ_by_their_pairs(tmp_path: Path) -> None:
    featurizer = _trained(tmp_path)
    assert {"<s> non", "non ,"} <= _terms(featurizer, "non, pas du tout")
    assert "non connu" in _terms(featurizer, "non connu")
    assert "non ," not in _terms(featurizer, "non connu")


def test_each_block_is_tf_idf_weighted_and_normalised(tmp_path: Path) -> None:
    for analyzer in ("word", "char_wb"):
        featurizer = _trained(tmp_path / analyzer, analyzer=analyzer, max_ngram=3)
        vector = _sentence(featurizer, "non, aucun souci médical")
        assert np.linalg.norm(vector) == pytest.approx(1.0)
        # A rare n-gram weighs more than one in every example ("<s>" for words).
        names = list(featurizer.vectorizer.get_feature_names_out())
        if analyzer == "word":
            assert vector[names.index("médical")] > vector[names.index("<s>")]


def test_unseen_words_give_only_the_start_marker(tmp_path: Path) -> None:
    assert _terms(_trained(tmp_path), "zzz qqq") == {"<s>"}
    chars = _trained(tmp_path / "c", analyzer="char_wb", min_ngram=2, max_ngram=4)
    assert not _sentence(chars, "zzz xxx").any()


def test_reloads_into_the_same_features(tmp_path: Path) -> None:
    for analyzer in ("word", "char_wb"):
        trained = _trained(tmp_path / analyzer, analyzer=analyzer)
        storage = LocalModelStorage(tmp_path / analyzer)
        resource = Resource(f"ngrams_{analyzer}")
        loaded = TfidfNgramFeaturizer.load(
            {"analyzer": analyzer}, storage, resource,
            ExecutionContext(None, resource.name))  # type: ignore[arg-type]
        for text in ("non, aucun souci médical", "elle vit à Goma ?"):
            assert np.array_equal(_sentence(loaded, text), _sentence(trained, text))
        assert not list((tmp_path / analyzer).rglob("*.pkl"))


def test_untrained_adds_nothing(tmp_path: Path) -> None:
    featurizer, _ = _featurizer(tmp_path)
    [message] = featurizer.process([Message(data={"text": "bonjour"})])
    assert message.features == []


def test_config_is_checked(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigException):
        _featurizer(tmp_path, analyzer="char")
    with pytest.raises(InvalidConfigException):
        _featurizer(tmp_path, min_ngram=3, max_ngram=2)
