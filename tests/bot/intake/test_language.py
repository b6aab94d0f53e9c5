import pytest

from bot.intake.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Kenya", "3", "ok", "OK", "oui", "non", "yes", "no", "RDC", "Nigéria", "Côte d'Ivoire",
        "FLD-2024-0173", "trois", "aucun", "none", "Goma", "la police", "the police", "LGBTQ2",
        "avocate", "syndicaliste", "Le Caire", "", "   ", "?", "🙂",
    ],
)
def test_short_answers_never_decide(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "bonjour",
        "Bonjour, je veux recommander une défenseure",
        "elle vit à Goma",
        "il est burundais",
        "sa femme et deux enfants",
        "non, pas pour l'instant",
        "pas du tout",
        "c'est une femme autochtone",
        "en fait elle est en Ouganda, pas au Kenya",
        "pourquoi?",
        "merci",
        "elle defend les droits des personnes LGBT",  # without accents
        "je veux annuler la recomandation",  # with a typo
    ],
)
def test_clear_french(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "I want to refer a human rights defender",
        "she is Ugandan, now in Nairobi",
        "his wife and two children",
        "she is from Côte d'Ivoire",
        "why?",
        "thanks",
        "actually she is in Uganda, not Kenya",
    ],
)
def test_clear_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("en français s'il vous plaît", "fr"),
        ("en francais svp", "fr"),
        ("in French please", "fr"),
        ("Français", "fr"),
        ("parlez-vous français?", "fr"),
        ("in English please", "en"),
        ("english please", "en"),
        ("en anglais s'il vous plaît", "en"),
        ("can we continue in English?", "en"),
        ("English", "en"),
    ],
)
def test_explicit_requests_win(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_mixed_messages_are_not_clear() -> None:
    assert detect_language("ok merci, thanks") is None
