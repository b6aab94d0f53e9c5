import unicodedata

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


# --- Issue 8: the whole service in French --------------------------------------------------
# Accents are optional everywhere: every case below that has one is also tried without it.


FRENCH_ANSWERS = [
    ("country_of_origin", "Nigéria", "NG"),
    ("country_of_origin", "elle est haïtienne", "HT"),
    ("country_of_origin", "il est libanais", "LB"),
    ("country_of_origin", "nationalité tchadienne", "TD"),
    ("country_of_origin", "elle a fui le Cameroun", "CM"),
    ("country_of_origin", "il est né en Centrafrique", "CF"),
    ("country_of_origin", "Érythrée", "ER"),
    ("country_of_origin", "cote divoire", "CI"),
    ("current_country", "elle vit à Goma", "CD"),
    ("current_country", "à Port-au-Prince", "HT"),
    ("current_country", "elle vit à Cap-Haïtien", "HT"),
    ("current_country", "au Liban, à Beyrouth", "LB"),
    ("current_country", "en Tanzanie, dans le camp de Nyarugusu", "TZ"),
    ("current_country", "aux États-Unis", "US"),
    ("family_members", "trois", 3),
    ("family_members", "sa femme et 2 enfants", 3),
    ("family_members", "ses deux filles et son fils", 3),
    ("family_members", "son mari, ses 2 enfants et sa mère", 4),
    ("family_members", "la famille compte 3 personnes", 3),
    ("family_members", "3 personnes, elle comprise", 2),
    ("family_members", "cinq membres de la famille", 5),
    ("family_members", "personne, elle voyage seule", 0),
    ("family_members", "dix-sept", 17),
    ("consent_to_share", "absolument", True),
    ("consent_to_share", "elle a signé le formulaire de consentement", True),
    ("immediate_threat", "pas du tout", False),
    ("immediate_threat", "menaces de mort répétées", True),
    ("immediate_threat", "pas de menace immédiate pour le moment", False),
    ("medical_needs", "pas de besoins médicaux connus", False),
    ("medical_needs", "séquelles de torture, besoin de soins", True),
    ("safe_in_current_country", "elle est harcelée par les services de renseignement", False),
    ("fled_persecution", "elle a fui après son arrestation", True),
    ("fled_persecution", "il est parti pour ses études, pas à cause de persécution", False),
    ("wants_resettlement_canada", "elle préfère rester dans la région", False),
    ("hrd_activity", "journaliste d'investigation", "journalism_media"),
    ("hrd_activity", "défend les droits des personnes LGBT", "lgbtq2_rights"),
    ("hrd_activity", "syndicaliste", "labour_rights"),
    ("hrd_activity", "avocate", "legal_defence"),
    ("hrd_activity", "défenseur des droits de la personne", "other"),
    ("hrd_activity", "défenseure des droits des enfants", "other"),
    ("hrd_activity", "il défend les droits fonciers des paysans", "environmental_land_rights"),
    ("hrd_activity", "lanceuse d'alerte", "anti_corruption"),
    ("persecution_agent", "l'État et des milices", "both"),
    ("persecution_agent", "les 2", "both"),
    ("persecution_agent", "acteurs non étatiques", "non_state"),
    ("persecution_agent", "la junte militaire", "state"),
    ("refugee_status", "réfugié au sens de la Convention", "recognized"),
    ("refugee_status", "réfugiée reconnue par le HCR", "recognized"),
    ("refugee_status", "sa demande d'asile est en cours", "asylum_seeker"),
    ("refugee_status", "sans statut", "none"),
    ("refugee_status", "statut inconnu", "unknown"),
    ("criminal_charges", "pas d'accusations", "none"),
    ("criminal_charges", "poursuivie pour fausses nouvelles", "related_to_hr_work"),
    ("criminal_charges", "une ancienne condamnation pour vol, sans lien avec son travail",
     "unrelated"),
    ("risk_factors", "c'est une femme autochtone", ["woman", "indigenous"]),
    ("risk_factors", "il est gay", ["lgbtq2"]),
    ("risk_factors", "elle ne souhaite pas répondre", []),
]


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize(("slot", "text", "value"), FRENCH_ANSWERS)
def test_more_french_answers_with_and_without_accents(slot, text, value):
    assert parse_answer(slot, text).value == value
    assert parse_answer(slot, _unaccented(text)).value == value


def test_a_camp_names_where_the_defender_is_not_where_they_come_from():
    parsed = parse_answer("current_country", "en Tanzanie, dans le camp de Nyarugusu")
    assert not parsed.also


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("en fait elle est en Ouganda, pas au Kenya", Correction("current_country", "UG")),
        ("en fait elle est originaire du Rwanda, pas du Burundi",
         Correction("country_of_origin", "RW")),
        # Decision: as in English ("the family is 3"), the number is the family members
        # coming with the defender; "3 personnes, elle comprise" counts her out (2).
        ("la famille compte 3 personnes", Correction("family_members", 3)),
        ("en fait il a 2 enfants", Correction("family_members", 2)),
        ("correction : pas de besoins médicaux finalement", Correction("medical_needs", False)),
        ("oups, elle est demandeuse d'asile, pas réfugiée reconnue",
         Correction("refugee_status", "asylum_seeker")),
        ("en fait elle est avocate, pas journaliste", Correction("hrd_activity", "legal_defence")),
        ("en fait ce sont des acteurs étatiques", Correction("persecution_agent", "state")),
        ("finalement elle ne veut pas aller au Canada",
         Correction("wants_resettlement_canada", False)),
        ("je veux changer son pays actuel", Correction("current_country", None)),
    ],
)
def test_more_french_corrections(text, correction):
    assert parse_correction(text, {}, None) == correction
    assert parse_correction(_unaccented(text), {}, None) == correction
