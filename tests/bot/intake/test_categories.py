import pytest

from bot.intake.normalize import (
    parse_activity,
    parse_agent,
    parse_answer,
    parse_charges,
    parse_refugee_status,
    parse_risk_factors,
)
from bot.intake.questions import CHOICES

ACTIVITY = [
    ("she runs an organisation defending LGBT people", "lgbtq2_rights"),
    ("advocates for gay and trans rights", "lgbtq2_rights"),
    ("investigative reporter", "journalism_media"),
    ("blogger", "journalism_media"),
    ("she is a radio journalist", "journalism_media"),
    ("fights mining companies over land", "environmental_land_rights"),
    ("campaigns against deforestation", "environmental_land_rights"),
    ("trade unionist", "labour_rights"),
    ("organises garment workers", "labour_rights"),
    ("lawyer who defends activists", "legal_defence"),
    ("human rights lawyer", "legal_defence"),
    ("aid worker", "humanitarian_work"),
    ("delivers humanitarian aid in camps", "humanitarian_work"),
    ("exposed corruption in the ministry", "anti_corruption"),
    ("whistleblower on embezzlement", "anti_corruption"),
    ("opposition activist", "democracy_political"),
    ("election observer", "democracy_political"),
    ("organised pro-democracy protests", "democracy_political"),
    ("defends religious minorities", "minority_religious_rights"),
    ("works for the rights of Ahmadi Muslims", "minority_religious_rights"),
    ("women's rights", "women_rights"),
    ("womens rights activist", "women_rights"),
    ("feminist", "women_rights"),
    ("fights gender-based violence", "women_rights"),
    ("indigenous land defender", "indigenous_rights"),
    ("defends the ancestral lands of indigenous peoples", "indigenous_rights"),
    ("human rights activist", "other"),
    ("human rights defender", "other"),
    ("activist", "other"),
    ("not an activist", "none"),
    ("none", "none"),
    ("she is not a human rights defender", "none"),
    # stored values (buttons) and numbered options
    ("journalism_media", "journalism_media"),
    ("legal_defence", "legal_defence"),
    ("1", "journalism_media"),
    ("2", "environmental_land_rights"),
    ("13", "none"),
]


@pytest.mark.parametrize(("text", "value"), ACTIVITY)
def test_activity(text, value):
    assert parse_activity(text).value == value
    assert parse_answer("hrd_activity", text).value == value


def test_activity_tie_break_prefers_topic_over_profession():
    # Documented tie-break: whom/what she defends beats how (profession).
    assert parse_activity("lawyer for LGBT activists").value == "lgbtq2_rights"
    assert parse_activity("journalist exposing corruption").value == "anti_corruption"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the police", "state"),
        ("the government", "state"),
        ("army", "state"),
        ("intelligence services", "state"),
        ("soldiers and the secret police", "state"),
        ("the regime", "state"),
        ("militia", "non_state"),
        ("an armed group", "non_state"),
        ("a gang", "non_state"),
        ("a mining company", "non_state"),
        ("her family", "non_state"),
        ("religious extremists", "non_state"),
        ("both", "both"),
        ("both state and non-state actors", "both"),
        ("the police and a militia", "both"),
        ("the army and paramilitaries", "both"),
        ("the police threatened her family", "state"),
        ("state", "state"),
        ("non_state", "non_state"),
        ("3", "both"),
    ],
)
def test_agent(text, value):
    assert parse_agent(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("recognized by UNHCR", "recognized"),
        ("recognised refugee", "recognized"),
        ("has refugee status", "recognized"),
        ("she was granted asylum", "recognized"),
        ("applied for asylum", "asylum_seeker"),
        ("claim pending", "asylum_seeker"),
        ("refugee status pending", "asylum_seeker"),
        ("asylum seeker", "asylum_seeker"),
        ("waiting for her interview", "asylum_seeker"),
        ("no status", "none"),
        ("not registered", "none"),
        ("she hasn't applied", "none"),
        ("undocumented", "none"),
        ("not sure", "unknown"),
        ("don't know", "unknown"),
        ("unknown", "unknown"),
        ("asylum_seeker", "asylum_seeker"),
        ("4", "unknown"),
    ],
)
def test_refugee_status(text, value):
    assert parse_refugee_status(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no charges", "none"),
        ("none", "none"),
        ("no", "none"),
        ("he was never charged", "none"),
        ("she has not been charged", "none"),
        ("clean record", "none"),
        ("charged with terrorism for the protests", "related_to_hr_work"),
        ("fabricated charges because of her work", "related_to_hr_work"),
        ("accused of spreading false news", "related_to_hr_work"),
        ("sedition charges after the march", "related_to_hr_work"),
        ("fabricated fraud charges", "related_to_hr_work"),
        ("an old theft conviction", "unrelated"),
        ("unrelated fraud charge", "unrelated"),
        ("a drunk driving conviction", "unrelated"),
        ("charges not related to her work", "unrelated"),
        ("not sure", "unknown"),
        ("I don't know", "unknown"),
        ("related_to_hr_work", "related_to_hr_work"),
        ("2", "related_to_hr_work"),
    ],
)
def test_charges(text, value):
    assert parse_charges(text).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("she is a woman", ["woman"]),
        ("female", ["woman"]),
        ("lesbian woman", ["woman", "lgbtq2"]),
        ("lesbian", ["woman", "lgbtq2"]),
        ("transgender", ["lgbtq2"]),
        ("gay", ["lgbtq2"]),
        ("he is a gay man", ["lgbtq2"]),
        ("Indigenous", ["indigenous"]),
        ("indigenous woman", ["woman", "indigenous"]),
        ("an Indigenous lesbian woman", ["woman", "lgbtq2", "indigenous"]),
        ("she is a woman but not indigenous", ["woman"]),
        ("she is not indigenous", []),
        ("none of these", []),
        ("none", []),
        ("no", []),
        ("prefer not to say", []),
        ("she would rather not say", []),
        ("1 and 3", ["woman", "indigenous"]),
        ("3, 1", ["woman", "indigenous"]),
        ("2", ["lgbtq2"]),
        ("woman", ["woman"]),
        ("lgbtq2", ["lgbtq2"]),
    ],
)
def test_risk_factors(text, value):
    assert parse_risk_factors(text).value == value
    assert parse_answer("risk_factors", text).value == value


@pytest.mark.parametrize(
    ("parser", "slot"),
    [
        (parse_activity, "hrd_activity"),
        (parse_agent, "persecution_agent"),
        (parse_refugee_status, "refugee_status"),
        (parse_charges, "criminal_charges"),
    ],
)
def test_every_stored_value_and_number_is_accepted(parser, slot):
    for n, value in enumerate(CHOICES[slot], start=1):
        assert parser(value).value == value
        assert parser(str(n)).value == value
        assert parser(value.upper()).value == value
    assert parser(str(len(CHOICES[slot]) + 1)).problem == "out_of_range"


@pytest.mark.parametrize(
    "parser", [parse_activity, parse_agent, parse_refugee_status, parse_charges, parse_risk_factors]
)
@pytest.mark.parametrize(("text", "problem"), [("qwerty zxcv", "not_understood"), ("", "empty")])
def test_problems(parser, text, problem):
    parsed = parser(text)
    assert parsed.value is None
    assert parsed.problem == problem


def test_risk_factor_number_out_of_range():
    assert parse_risk_factors("1 and 4").problem == "out_of_range"
