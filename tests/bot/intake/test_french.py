import pytest

from bot.intake.corrections import Correction, parse_correction
from bot.intake.normalize import parse_answer


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [
        ("country_of_origin", "il est burundais", "BI"),
        ("country_of_origin", "RDC", "CD"),
        ("country_of_origin", "elle est congolaise", "CD"),
        ("country_of_origin", "Côte d'Ivoire", "CI"),
        ("country_of_origin", "originaire d'Éthiopie", "ET"),
        ("current_country", "elle vit au Kenya", "KE"),
        ("current_country", "à Nairobi", "KE"),
        ("current_country", "actuellement en Ouganda", "UG"),
        ("family_members", "sa femme et deux enfants", 3),
        ("family_members", "son mari et trois enfants", 4),
        ("family_members", "elle est seule", 0),
        ("family_members", "pas de famille", 0),
        ("consent_to_share", "oui", True),
        ("consent_to_share", "elle a refusé", False),
        ("immediate_threat", "non, pas pour l'instant", False),
        ("immediate_threat", "oui, elle est menacée", True),
        ("safe_in_current_country", "elle n'est pas en sécurité", False),
        ("safe_in_current_country", "elle est en sécurité", True),
        ("medical_needs", "elle est diabétique", True),
        ("medical_needs", "aucun besoin médical", False),
        ("wants_resettlement_canada", "bien sûr", True),
        ("hrd_activity", "journaliste", "journalism_media"),
        ("hrd_activity", "syndicaliste", "labour_rights"),
        ("hrd_activity", "elle défend les droits des femmes", "women_rights"),
        ("persecution_agent", "la police", "state"),
        ("persecution_agent", "une milice", "non_state"),
        ("persecution_agent", "les deux", "both"),
        ("refugee_status", "demandeuse d'asile", "asylum_seeker"),
        ("refugee_status", "je ne sais pas", "unknown"),
        ("criminal_charges", "aucune", "none"),
        ("criminal_charges", "accusée de terrorisme à cause de son travail",
         "related_to_hr_work"),
        ("risk_factors", "femme autochtone", ["woman", "indigenous"]),
        ("risk_factors", "préfère ne pas dire", []),
    ],
)
def test_french_answers(slot, text, value):
    assert parse_answer(slot, text).value == value


def test_french_origin_and_current_together():
    parsed = parse_answer("country_of_origin", "originaire du Burundi, maintenant en Ouganda")
    assert parsed.value == "BI"
    assert dict(parsed.also) == {"current_country": "UG"}


def test_french_corrections():
    assert parse_correction("en fait la famille est de 3", {}, None) == Correction(
        "family_members", 3
    )
    assert parse_correction("désolé, elle est rwandaise", {}, None) == Correction(
        "country_of_origin", "RW"
    )
