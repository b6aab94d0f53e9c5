"""The console in Canadian French: FRENCH maps each English text of the templates and of
the N_() marks in bot/console to its French; FRENCH_LABELS gives the labels of stored codes
(bot/console/i18n/labels.py) by kind. tests/console/test_i18n.py fails on a missing or stale
entry, or on placeholders that differ from the English.

Typography: a no-break space (\\u00a0) before a colon and inside « », none before ; ! ?
(Canadian usage); "courriel", "clavardage"; "droits de la personne"."""

from __future__ import annotations

NBSP = "\u00a0"

FRENCH: dict[str, str] = {
    # Page frame and navigation
    "HRD referral console": "Console de recommandation DDP",
    "Skip to content": "Passer au contenu",
    "Main": "Menu principal",
    "Chat": "Clavardage",
    "Our cases": "Nos dossiers",
    "Cases": "Dossiers",
    "Conversations": "Conversations",
    "Dashboard": "Tableau de bord",
    "Audit trail": "Piste de vérification",
    "Language": "Langue",
    "Sign out": "Se déconnecter",
    "Quick exit": "Sortie rapide",
    "Esc": "Échap",
    "Go to the start page": "Aller à la page d'accueil",
    # Sign-in
    "Sign in": "Se connecter",
    "E-mail": "Courriel",
    "Password": "Mot de passe",
    "One-time code": "Code à usage unique",
    "(from your authenticator app; an administrator enrols you)":
        "(de votre application d'authentification; un administrateur vous inscrit)",
    "Too many failed attempts. Wait a few minutes and try again.":
        "Trop de tentatives infructueuses. Attendez quelques minutes, puis réessayez.",
    "The e-mail, password or code is not right.":
        "Le courriel, le mot de passe ou le code est incorrect.",
    # Errors
    "Error": "Erreur",
    "Forbidden": "Accès refusé",
    "Not found": "Introuvable",
    "Bad request": "Demande invalide",
    "Invalid filter": "Filtre invalide",
    "Not found.": "Introuvable.",
    "Method not allowed.": "Méthode non permise.",
    "The body is too large.": "Le corps de la demande est trop volumineux.",
    "The URL is too long.": "L'adresse URL est trop longue.",
    "The request was not accepted.": "La demande n'a pas été acceptée.",
    "Something went wrong on our side.": "Un problème est survenu de notre côté.",
    "This form has expired or did not come from this console. Go back, reload the page and "
    "try again.":
        "Ce formulaire a expiré ou ne provient pas de cette console. Revenez en arrière, "
        "rechargez la page et réessayez.",
    "Your account cannot open this page.": "Votre compte ne peut pas ouvrir cette page.",
    "There is no such page or case.": "Cette page ou ce dossier n'existe pas.",
    "Choose English or French.": "Choisissez le français ou l'anglais.",
    "{name} must be yes or no": "{name} doit valoir yes ou no",
    "{name} must be a date (YYYY-MM-DD)": "{name} doit être une date (AAAA-MM-JJ)",
    "{name} must be one of {allowed}":
        f"{{name}} doit être l'une des valeurs suivantes{NBSP}: {{allowed}}",
    "reference: letters, digits and - only":
        f"référence{NBSP}: lettres, chiffres et - seulement",
    "reference must be HRD-YYYY-NNNNN": "la référence doit être de la forme HRD-AAAA-NNNNN",
    "partner must be an organization id": "partner doit être un identifiant d'organisation",
    "tag: lower-case letters, digits, - and _":
        f"étiquette{NBSP}: lettres minuscules, chiffres, - et _",
    # Chat
    "Refer a defender": "Recommander un défenseur",
    "Start a new referral": "Commencer une nouvelle recommandation",
    "Conversation": "Conversation",
    "The assistant is typing…": "L'assistant écrit…",
    "Your message": "Votre message",
    "Type your answer…": "Tapez votre réponse…",
    "Send": "Envoyer",
    "Press Enter to send, Shift+Enter for a new line. Esc or “Quick exit” leaves at once.":
        f"Appuyez sur Entrée pour envoyer, Maj+Entrée pour aller à la ligne. Échap ou "
        f"«{NBSP}Sortie rapide{NBSP}» quitte la page immédiatement.",
    "You:": f"Vous{NBSP}:",
    "Assistant:": f"Assistant{NBSP}:",
    "Suggested answers": "Réponses suggérées",
    "Choices:": f"Choix{NBSP}:",
    "Connecting to the assistant…": "Connexion à l'assistant…",
    "Connected.": "Connecté.",
    "The assistant cannot be reached right now. Check your connection; we keep trying. Your "
    "answers so far are saved.":
        "L'assistant est injoignable pour le moment. Vérifiez votre connexion; nous "
        "continuons d'essayer. Vos réponses jusqu'ici sont enregistrées.",
    "Your session has ended. Reload the page or sign in again.":
        "Votre session a pris fin. Rechargez la page ou reconnectez-vous.",
    "That message could not be sent (empty, too long or with invalid characters).":
        "Ce message n'a pas pu être envoyé (vide, trop long ou contenant des caractères non "
        "valides).",
    "No answer yet. The assistant may be busy; please wait or try again.":
        "Pas encore de réponse. L'assistant est peut-être occupé; veuillez patienter ou "
        "réessayer.",
    # Cases
    "Case": "Dossier",
    "Our organization's cases": "Dossiers de notre organisation",
    "Cases referred by your organization, newest first":
        "Dossiers recommandés par votre organisation, du plus récent au plus ancien",
    "No cases yet.": "Aucun dossier pour l'instant.",
    "Refer a defender in the chat.": "Recommandez un défenseur dans le clavardage.",
    "Reference": "Référence",
    "Partner": "Partenaire",
    "Submitted": "Soumis le",
    "Status": "Statut",
    "Outcome": "Résultat",
    "Urgent": "Urgent",
    "yes": "oui",
    "no": "non",
    "none": "aucune",
    "none declared": "aucun déclaré",
    "Pathway": "Voie d'accès",
    "Priority": "Priorité",
    "People": "Personnes",
    "Capacity": "Capacité",
    "Reasons": "Motifs",
    "Policy version": "Version de la politique",
    "Answers": "Réponses",
    # Review
    "Filter cases": "Filtrer les dossiers",
    "From": "Du",
    "To": "Au",
    "Any partner": "Tous les partenaires",
    "Any outcome": "Tous les résultats",
    "Any": "Tous",
    "Any priority": "Toutes les priorités",
    "Any status": "Tous les statuts",
    "Reviewed": "Examiné",
    "Tag": "Étiquette",
    "Filter": "Filtrer",
    "Clear": "Effacer",
    "Include the threat description (sensitive)":
        "Inclure la description de la menace (renseignement de nature délicate)",
    "Export these cases as CSV": "Exporter ces dossiers en CSV",
    "{n} case(s)": "{n} dossier(s)",
    "Cases matching the filters, newest first":
        "Dossiers correspondant aux filtres, du plus récent au plus ancien",
    "That status change is not allowed from the current status.":
        "Ce changement de statut n'est pas permis à partir du statut actuel.",
    "That tag or note was not accepted (tags: 1-40 lower-case letters, digits, - or _; "
    "notes: up to 4000 characters).":
        f"Cette étiquette ou cette note n'a pas été acceptée (étiquettes{NBSP}: 1 à 40 lettres "
        f"minuscules, chiffres, - ou _; notes{NBSP}: jusqu'à 4{NBSP}000 caractères).",
    "Read the transcript": "Lire la transcription",
    "Review": "Examen",
    "Reviewed on {when} UTC by user {who}.": "Examiné le {when} UTC par l'utilisateur {who}.",
    "Mark reviewed": "Marquer comme examiné",
    "Move to": "Passer à",
    "Change status": "Changer le statut",
    "This case is closed.": "Ce dossier est fermé.",
    "Tags": "Étiquettes",
    "Add a tag": "Ajouter une étiquette",
    "Add": "Ajouter",
    "Notes": "Notes",
    "user {who}, {when} UTC": "utilisateur {who}, {when} UTC",
    "No notes.": "Aucune note.",
    "Add a note (encrypted)": "Ajouter une note (chiffrée)",
    "Save note": "Enregistrer la note",
    # Conversations and transcripts
    "Filter conversations": "Filtrer les conversations",
    "Conversations, most recent activity first":
        "Conversations, de l'activité la plus récente à la plus ancienne",
    "Started": "Début",
    "Last activity": "Dernière activité",
    "Events": "Événements",
    "no case (yet)": "aucun dossier (pour l'instant)",
    "Transcript": "Transcription",
    "Transcript of conversation #{id}": f"Transcription de la conversation nº{NBSP}{{id}}",
    "Export as Rasa test story": "Exporter en scénario de test Rasa (story)",
    "The story is pseudonymized: references, names, places and threat descriptions are "
    "replaced by stand-ins. It may still contain personal data: read it before you commit or "
    "share it. The export is recorded in the audit trail.":
        f"Le scénario est pseudonymisé{NBSP}: références, noms, lieux et descriptions de "
        f"menaces sont remplacés par des substituts. Il peut encore contenir des données "
        f"personnelles{NBSP}: relisez-le avant de le verser dans un dépôt ou de le partager. "
        f"L'export est consigné dans le journal d'audit.",
    "No messages.": "Aucun message.",
    # Audit trail
    "Show": "Afficher",
    "All": "Tout",
    "Audit events, newest first":
        "Événements de la piste de vérification, du plus récent au plus ancien",
    "When (UTC)": "Quand (UTC)",
    "Who": "Qui",
    "Action": "Action",
    "What": "Quoi",
    "Detail": "Détail",
    # Dashboard
    "Dashboard {year}": "Tableau de bord {year}",
    "Spaces this year": "Places cette année",
    "used": "utilisées",
    "left": "restantes",
    "cap": "plafond",
    "{used} of {cap} spaces used ({percent})": "{used} places utilisées sur {cap} ({percent})",
    "Cap in force today: policy {version}.":
        f"Plafond en vigueur aujourd'hui{NBSP}: politique {{version}}.",
    "The case does not fit in what is left of its year's spaces; it stays on the waitlist.":
        "Le dossier n'entre pas dans les places qui restent pour son année; il reste sur la "
        "liste d'attente.",
    "The case is not on the waitlist.": "Le dossier n'est pas sur la liste d'attente.",
    "This case is waitlisted: it takes no space until it is moved into its year's spaces, "
    "which is allowed only if it fits.":
        f"Ce dossier est sur la liste d'attente{NBSP}: il n'occupe aucune place tant qu'il "
        "n'est pas déplacé dans les places de son année, ce qui n'est possible que s'il y "
        "entre.",
    "Move into the year's spaces": "Déplacer dans les places de l'année",
    "Why: the rules of policy {version}":
        f"Pourquoi{NBSP}: les règles de la politique {{version}}",
    "Rule": "Règle",
    "Requirement": "Exigence",
    "Held": "Respectée",
    "Answer read": "Réponse lue",
    "Cited source": "Source citée",
    "Spaces and waitlist by year": "Places et liste d'attente par année",
    "Years are calendar years in Ottawa time. Only cases within the cap take spaces; a "
    "withdrawn or declined case frees its spaces. Waitlisted cases are listed in submission "
    "order.":
        "Les années sont des années civiles à l'heure d'Ottawa. Seuls les dossiers dans les "
        "limites du plafond occupent des places; un dossier retiré ou refusé libère ses "
        "places. Les dossiers en liste d'attente sont présentés dans l'ordre de soumission.",
    "Year": "Année",
    "Policy": "Politique",
    "Cap": "Plafond",
    "Spaces used": "Places utilisées",
    "Spaces left": "Places restantes",
    "Waitlisted cases": "Dossiers en liste d'attente",
    "Waitlisted people": "Personnes en liste d'attente",
    "Waitlist": "Liste d'attente",
    "The numbers": "Les chiffres",
    "Category": "Catégorie",
    "Cases by outcome": "Dossiers par résultat",
    "Cases by urgency": "Dossiers par urgence",
    "Cases by priority factor": "Dossiers par facteur de priorité",
    "Cases by partner": "Dossiers par partenaire",
    "Urgent Protection Program cases by month":
        "Dossiers du Programme de protection urgente par mois",
    # The neutral page of the quick exit
    "Weather": "Météo",
    "Weather this week": "La météo cette semaine",
    "Monday": "Lundi",
    "Tuesday": "Mardi",
    "Wednesday": "Mercredi",
    "Thursday": "Jeudi",
    "Friday": "Vendredi",
    "Sunny spells, light wind": "Éclaircies, vents légers",
    "Cloudy": "Nuageux",
    "Showers in the afternoon": "Averses en après-midi",
    "Mostly sunny": "Généralement ensoleillé",
    "Clear skies": "Ciel dégagé",
}

FRENCH_LABELS: dict[str, dict[str, str]] = {
    "slot": {
        "partner_case_reference": "Référence du dossier chez le partenaire",
        "consent_to_share": "Consentement à la transmission au Canada",
        "country_of_origin": "Pays d'origine",
        "current_country": "Pays actuel",
        "hrd_activity": "Travail de défense des droits de la personne",
        "persecution_agent": "Agent de persécution",
        "fled_persecution": "A fui la persécution",
        "refugee_status": "Statut de réfugié",
        "safe_in_current_country": "En sécurité dans le pays actuel",
        "immediate_threat": "Menace immédiate",
        "threat_description": "Description de la menace",
        "family_members": "Membres de la famille à réinstaller",
        "risk_factors": "Facteurs de risque",
        "medical_needs": "Besoins médicaux",
        "criminal_charges": "Accusations criminelles",
        "wants_resettlement_canada": "Souhaite être réinstallé au Canada",
        "hrd_activity_description": "Travail de défense des droits, dans les mots de l'intervenant",
        "summary_confirmed": "Résumé confirmé",
    },
    "status": {
        "submitted": "Soumis",
        "under_review": "En cours d'examen",
        "referred_to_ircc": "Recommandé à IRCC",
        "declined": "Refusé",
        "withdrawn": "Retiré",
    },
    "eligibility": {
        "eligible": "Admissible",
        "ineligible": "Non admissible",
        "needs_review": "À examiner",
    },
    "pathway": {
        "hrd_stream": "Volet des défenseurs des droits de la personne",
        "urgent_protection": "Programme de protection urgente",
        "none": "Aucune",
    },
    "priority": {"urgent": "Urgente", "high": "Élevée", "standard": "Normale"},
    "priority_factor": {
        "woman": "Femme",
        "lgbtq2": "2ELGBTQI+",
        "indigenous": "Autochtone",
        "medical_needs": "Besoins médicaux",
        "immediate_threat": "Menace immédiate",
    },
    "capacity": {"within_cap": "Dans les limites du plafond", "over_cap": "Au-delà du plafond"},
    "rule_effect": {"ineligible": "Non admissible", "needs_review": "Examen requis",
                    "flagged": "Signalé", "urgent": "Urgent", "refused": "Arrêté"},
    "urgency": {"urgent": "Urgent", "not_urgent": "Non urgent"},
    "yes_no": {"yes": "oui", "no": "non"},
    "hrd_activity": {
        "journalism_media": "Journalisme et médias",
        "environmental_land_rights": "Droits environnementaux et fonciers",
        "women_rights": "Droits des femmes",
        "lgbtq2_rights": "Droits des personnes 2ELGBTQI+",
        "indigenous_rights": "Droits des Autochtones",
        "labour_rights": "Droits des travailleurs",
        "legal_defence": "Défense juridique",
        "humanitarian_work": "Travail humanitaire",
        "anti_corruption": "Lutte contre la corruption",
        "democracy_political": "Démocratie et droits politiques",
        "minority_religious_rights": "Droits des minorités et liberté de religion",
        "other": "Autre",
        "none": "Aucune",
    },
    "persecution_agent": {
        "state": "L'État",
        "non_state": "Acteurs non étatiques",
        "both": "Les deux",
    },
    "refugee_status": {
        "recognized": "Réfugié reconnu",
        "asylum_seeker": "Demandeur d'asile",
        "none": "Aucun",
        "unknown": "Inconnu",
    },
    "criminal_charges": {
        "none": "Aucune",
        "related_to_hr_work": "Liées au travail de défense des droits",
        "unrelated": "Sans lien avec ce travail",
        "unknown": "Inconnues",
    },
    "risk_factors": {"woman": "Femme", "lgbtq2": "2ELGBTQI+", "indigenous": "Autochtone"},
}
