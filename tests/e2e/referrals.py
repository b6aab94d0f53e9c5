"""Complete referrals as caseworkers type them, with the values that must be stored.

The phrasings are deliberately not those of data/nlu: the e2e tests check that the assistant
generalizes, as the outside acceptance suite will.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Referral:
    name: str
    opener: str
    answers: tuple[str, ...]  # one free-text answer per question, in the order asked
    expected: dict[str, Any]


def _expect(**values: Any) -> dict[str, Any]:
    values.setdefault("consent_to_share", True)
    return values


REFERRALS: tuple[Referral, ...] = (
    Referral(
        "ugandan reporter in kenya",
        "hi, I need to submit a referral",
        (
            "our file number is UNHCR-NBO-2291",
            "yes she gave her written consent",
            "she's Ugandan",
            "she is staying in Nairobi now",
            # Not "covering land grabs": that fits two categories and is asked as a pick
            # (tests/e2e/test_interview.py); this referral stays straightforward.
            "she is an investigative reporter exposing abuses by officials",
            "the police and the military intelligence",
            "yes, she fled after her newspaper was raided",
            "UNHCR recognised her as a refugee last year",
            "no, she's been followed in Nairobi too",
            "not at this moment",
            "her husband and their two daughters",
            "she is a woman",
            "no medical issues",
            "no charges at all",
            "yes she wants to go to Canada",
        ),
        _expect(
            partner_case_reference="UNHCR-NBO-2291", country_of_origin="UG", current_country="KE",
            hrd_activity="journalism_media", persecution_agent="state", fled_persecution=True,
            refugee_status="recognized", safe_in_current_country=False, immediate_threat=False,
            family_members=3, risk_factors=["woman"], medical_needs=False,
            criminal_charges="none", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "zimbabwean land defender under threat",
        "Good morning. Front Line Defenders has a case for the HRD stream",
        (
            "FLD/ZW/0412",
            "she agreed",
            "Zimbabwe",
            "Johannesburg, South Africa",
            "she organises villagers against a mining company taking their land",
            "private security guards working for the mine",
            "yes",
            "she lodged an asylum claim in March, still pending",
            "not safe",
            "yes",
            "men from the mine found her address, beat her brother and said she is next",
            "she's on her own",
            "none of these",
            "she has a heart condition that needs treatment",
            "no",
            "absolutely",
        ),
        _expect(
            partner_case_reference="FLD/ZW/0412", country_of_origin="ZW", current_country="ZA",
            hrd_activity="environmental_land_rights", persecution_agent="non_state",
            fled_persecution=True, refugee_status="asylum_seeker", safe_in_current_country=False,
            immediate_threat=True,
            threat_description=(
                "men from the mine found her address, "
                "beat her brother and said she is next"
            ),
            family_members=0, risk_factors=[], medical_needs=True, criminal_charges="none",
            wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "russian anti-corruption investigator in georgia",
        "I want to refer a defender",
        (
            "PDEU-RU-88",
            "Yes, consent obtained",
            "he is Russian",
            "he's in Tbilisi",
            "he exposed bribery and embezzlement by regional officials",
            "state authorities",
            "yes he did",
            "asylum application pending",
            "no it isn't safe, Russian agents operate there",
            "nope",
            "0",
            "prefer not to say",
            "no",
            "they charged him with extremism in absentia because of his investigations",
            "yes",
        ),
        _expect(
            partner_case_reference="PDEU-RU-88", country_of_origin="RU", current_country="GE",
            hrd_activity="anti_corruption", persecution_agent="state", fled_persecution=True,
            refugee_status="asylum_seeker", safe_in_current_country=False, immediate_threat=False,
            family_members=0, risk_factors=[], medical_needs=False,
            criminal_charges="related_to_hr_work", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "nicaraguan student leader with medical needs",
        "hello",
        (
            "case 4471-CR",
            "yes",
            "Nicaraguan",
            "San José, Costa Rica",
            "he led student protests against the government as an opposition organiser",
            "government paramilitaries and police, both",
            "yes",
            "he has no status there",
            "no",
            "no",
            "his partner and one child",
            "none",
            "yes, he needs insulin every day",
            "none",
            "yes please",
        ),
        _expect(
            partner_case_reference="4471-CR", country_of_origin="NI", current_country="CR",
            hrd_activity="democracy_political", persecution_agent="both", fled_persecution=True,
            refugee_status="none", safe_in_current_country=False, immediate_threat=False,
            family_members=2, risk_factors=[], medical_needs=True, criminal_charges="none",
            wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "syrian aid worker with a large family",
        "new case to refer please",
        (
            "SY-TR-3310",
            "yes he consented",
            "Syria",
            "Gaziantep in Turkey",
            "he delivered medical aid to besieged towns for a relief NGO",
            "both the regime and armed groups",
            "yes",
            "recognized refugee",
            "no",
            "no",
            "his wife, her mother and their three children",
            "no",
            "no",
            "no charges",
            "yes",
        ),
        _expect(
            partner_case_reference="SY-TR-3310", country_of_origin="SY", current_country="TR",
            hrd_activity="humanitarian_work", persecution_agent="both", fled_persecution=True,
            refugee_status="recognized", safe_in_current_country=False, immediate_threat=False,
            family_members=5, risk_factors=[], medical_needs=False, criminal_charges="none",
            wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "indigenous woman defender with unknown status",
        "I'm from UNHCR and want to start a referral",
        (
            "HN-GT-19",
            "yes",
            "she comes from Honduras",
            "Guatemala City",
            "she defends the land and water of her Indigenous Lenca community",
            "a hydroelectric company and hired gunmen",
            "yes",
            "I'm not sure",
            "no",
            "no",
            "three sons",
            "she is an Indigenous woman",
            "no",
            "not that I know of, no charges",
            "yes",
        ),
        _expect(
            partner_case_reference="HN-GT-19", country_of_origin="HN", current_country="GT",
            hrd_activity="indigenous_rights", persecution_agent="non_state", fled_persecution=True,
            refugee_status="unknown", safe_in_current_country=False, immediate_threat=False,
            family_members=3, risk_factors=["woman", "indigenous"], medical_needs=False,
            criminal_charges="none", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "lgbtq2 defender under immediate threat",
        "hey",
        (
            "FLD-UG-2024-7",
            "yes",
            "Ugandan",
            "Kenya",
            "he runs a shelter for gay and transgender youth",
            "police",
            "yes",
            "asylum seeker",
            "no",
            "yes, urgent",
            "a mob attacked the shelter last night and police are looking for him",
            "none",
            "he is gay",
            "no",
            "none",
            "yes",
        ),
        _expect(
            partner_case_reference="FLD-UG-2024-7", country_of_origin="UG", current_country="KE",
            hrd_activity="lgbtq2_rights", persecution_agent="state", fled_persecution=True,
            refugee_status="asylum_seeker", safe_in_current_country=False, immediate_threat=True,
            threat_description=(
                "a mob attacked the shelter last "
                "night and police are looking for him"
            ),
            family_members=0, risk_factors=["lgbtq2"], medical_needs=False,
            criminal_charges="none", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "congolese lawyer with unrelated charges",
        "I'd like to make a referral",
        (
            "DRC-0093",
            "yes",
            "from the DRC",
            "Kampala",
            "he is a lawyer who represents jailed activists",
            "the army",
            "yes",
            "recognised refugee",
            "no",
            "no",
            "none",
            "no",
            "no",
            "an old conviction for a road accident, unrelated to his work",
            "yes",
        ),
        _expect(
            partner_case_reference="DRC-0093", country_of_origin="CD", current_country="UG",
            hrd_activity="legal_defence", persecution_agent="state", fled_persecution=True,
            refugee_status="recognized", safe_in_current_country=False, immediate_threat=False,
            family_members=0, risk_factors=[], medical_needs=False,
            criminal_charges="unrelated", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "iranian trade unionist still at home",
        "start a new referral",
        (
            "IR-LAB-5",
            "yes",
            "Iran",
            "she is still in Iran",
            "trade union organiser for bus drivers",
            "the Revolutionary Guards",
            "no, she hasn't left",
            "no status",
            "no",
            "no",
            "a husband",
            "woman",
            "no",
            "none",
            "yes",
        ),
        _expect(
            partner_case_reference="IR-LAB-5", country_of_origin="IR", current_country="IR",
            hrd_activity="labour_rights", persecution_agent="state", fled_persecution=False,
            refugee_status="none", safe_in_current_country=False, immediate_threat=False,
            family_members=1, risk_factors=["woman"], medical_needs=False,
            criminal_charges="none", wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "eritrean religious freedom advocate who prefers to stay",
        "Hello, could we begin a referral?",
        (
            "ER-SD-12",
            "yes",
            "Eritrean",
            "Khartoum",
            "she advocates for persecuted Pentecostal Christians",
            "the Eritrean state",
            "yes",
            "applied for asylum",
            "no",
            "no",
            "two",
            "woman",
            "no",
            "no",
            "no, she would rather stay in the region",
        ),
        _expect(
            partner_case_reference="ER-SD-12", country_of_origin="ER", current_country="SD",
            hrd_activity="minority_religious_rights", persecution_agent="state",
            fled_persecution=True, refugee_status="asylum_seeker", safe_in_current_country=False,
            immediate_threat=False, family_members=2, risk_factors=["woman"],
            medical_needs=False, criminal_charges="none", wants_resettlement_canada=False,
        ),
    ),
    Referral(
        "burmese democracy organiser",
        "we have an HRD to refer",
        (
            "MM-TH-301",
            "yes",
            "Burma",
            "Mae Sot, Thailand",
            "pro-democracy youth organiser",
            "the junta",
            "yes",
            "recognized",
            "no",
            "no",
            "her mother",
            "prefer not to say",
            "no",
            "I don't know",
            "yes",
        ),
        _expect(
            partner_case_reference="MM-TH-301", country_of_origin="MM", current_country="TH",
            hrd_activity="democracy_political", persecution_agent="state", fled_persecution=True,
            refugee_status="recognized", safe_in_current_country=False, immediate_threat=False,
            family_members=1, risk_factors=[], medical_needs=False, criminal_charges="unknown",
            wants_resettlement_canada=True,
        ),
    ),
    Referral(
        "afghan women's rights activist",
        "good afternoon, I have a new referral",
        (
            "AF-PK-4410",
            "yes she did consent",
            "Afghan",
            "Islamabad",
            "she ran a network defending women's right to education",
            "the de facto authorities in Kabul",
            "yes",
            "asylum seeker",
            "no, she is at risk of deportation",
            "yes",
            "Pakistani police have told her she will be deported to Afghanistan next week",
            "four children",
            "woman",
            "no",
            "no",
            "yes",
        ),
        _expect(
            partner_case_reference="AF-PK-4410", country_of_origin="AF", current_country="PK",
            hrd_activity="women_rights", persecution_agent="state", fled_persecution=True,
            refugee_status="asylum_seeker", safe_in_current_country=False, immediate_threat=True,
            threat_description=(
                "Pakistani police have told her she "
                "will be deported to Afghanistan next week"
            ),
            family_members=4, risk_factors=["woman"], medical_needs=False,
            criminal_charges="none", wants_resettlement_canada=True,
        ),
    ),
)


def readback_reply(slots: dict[str, Any], expected: dict[str, Any]) -> str | None:
    """What the caseworker answers to a pending read-back (None when there is none): the
    number of the value they meant in a pick, else yes if the reading is what they meant."""
    requested = slots.get("requested_slot") or ""
    if not requested.startswith("confirm_"):
        return None
    readback = slots.get("readback") or {}
    choices = list(readback.get("choices") or [])
    meant = expected.get(readback.get("slot"))
    if len(choices) > 1:
        return str(choices.index(meant) + 1) if meant in choices else "no"
    return "yes" if choices and choices[0] == meant else "no"


def answer_all(
    say: Callable[[str], Any],
    slots: Callable[[], dict[str, Any]],
    answers: Iterable[str],
    expected: dict[str, Any],
) -> tuple[Any, int]:
    """Each answer in turn, replying to any read-back as the caseworker would; the last
    replies and the number of messages sent."""
    replies, sent = None, 0
    for answer in answers:
        replies, sent = say(answer), sent + 1
        reply = readback_reply(slots(), expected)
        while reply is not None and sent < 100:
            replies, sent = say(reply), sent + 1
            reply = readback_reply(slots(), expected)
    return replies, sent
