"""What interviewers listen for, as families of cue phrases.

A guide's signals are free text ("Ownership & Accountability: Taking full responsibility ...").
Each signal is mapped to the families its name and description speak of; a family knows the
phrases in an answer that show it, the phrases that count against it, where in the STAR story it
belongs, what to advise and what an interviewer would probe next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{body})", re.IGNORECASE)


BLAME = _pattern(
    r"(?:not|wasn't|weren't|was not|were not|isn't) (?:on me|my fault|my call|down to me)|"
    r"(?:their|his|her|the team's|management's|[a-z]+'s) fault|"
    r"dropped the ball|couldn't be bothered|could not be bothered|took forever|"
    r"dragged (?:its|their|his|her) feet|sat on (?:it|them|my \w+|the (?:numbers|report|data|"
    r"note|request|decision|email|results))|stalled|dumped|"
    r"threw (?:me|us) under|set (?:me|us) up to fail|cleaning up after|covering for (?:them|"
    r"him|her)|as usual|sloppy|sloppily|let it slide|wasted|never did a thing|"
    r"never (?:bothered|lifted a finger)|nobody (?:had )?(?:ever )?bothered|too busy to|"
    r"(?:wouldn't|would not|didn't|did not) (?:make|find) (?:the )?time|slow to (?:answer|"
    r"respond|reply|act)|kept stirring|"
    r"(?<!\bi )(?<!\bwe )should have (?:caught|flagged|told|done|raised|warned|checked|known|"
    r"shared|consulted|asked|involved|looped|got|gotten|noticed|tested|been the)|"
    r"if (?:only )?(?!i\b|we\b)(?:[a-z']+ ){1,3}had (?:done|shared|told|flagged|raised|looped|"
    r"made|given|listened|checked|caught|involved|bothered|trained|tested)|"
    r"(?:wasn't|was not|isn't) (?:much|anything) (?:more )?(?:i|we) could (?:have )?do(?:ne)?|"
    r"nothing (?:more )?(?:i|we) could (?:have )?do(?:ne)?|out of my (?:hands|control)|"
    r"sorted itself out|(?:can't|cannot) (?:count|rely) on (?:other|them|anyone)|"
    r"(?:can't|cannot) wait for (?:management|other|them)|do their jobs?\b|"
    r"blamed (?:them|him|her|the)|their (?:mistake|mess)|because of (?:them|him|her)\b|"
    r"the kind of (?:people|person) (?:that|who)|made the (?:timeline|deadline|plan) "
    r"impossible|nobody (?:above me )?was going to|(?:i|we) was forced to|"
    r"(?:i|we) had to chase|nobody (?:had )?(?:ever )?(?:told|mentioned|explained|trained|showed|"
    r"warned|taught|bothered)|never (?:mentioned|documented|told|explained|trained|warned|"
    r"shared|updated)|(?:can't|cannot|couldn't|could not) (?:trust|rely on|count on) (?:the|"
    r"other|them|anyone|data|people)|should have (?:given|told|trained|shown|warned) me|"
    r"had been ignoring|despite (?:everything|what|all) (?:i|we)|(?:pushed|forced|dumped) "
    r"(?:\w+ ){0,4}on (?:me|us)|let (?:it|the account|things|the \w+) (?:drift|slide|slip)"
)
# The candidate clearing themselves outright: one of these is enough to flag blame.
EXCUSE = _pattern(
    r"(?:not|wasn't|weren't|was not|were not|isn't) (?:on me|my fault|down to me)|"
    r"(?:wasn't|was not|isn't) (?:much|anything) (?:more )?(?:i|we) could (?:have )?do(?:ne)?|"
    r"nothing (?:more )?(?:i|we) could (?:have )?do(?:ne)?|out of my (?:hands|control)|"
    r"sorted itself out|(?:can't|cannot) (?:count|rely) on (?:other|them|anyone)|"
    r"(?:can't|cannot) wait for (?:management|other|them)"
)
OWNING = re.compile(
    r"(?<!claimed )(?<!said )(?<!thought )(?<!accused me of )(?<!not )(?<!n't )\b(?:"
    r"my (?:mistake|fault|call|decision|error|responsibility|miss)|on (?:me|us)\b|"
    r"should have\b|"
    r"i (?:own(?:ed)?|t(?:a|oo)k) (?:full |complete )?(?:responsibility|ownership|the blame)|"
    r"(?:that|it) was on me|i (?:should|could) have|i (?:made|got) (?:it|that|the call) wrong|"
    r"i was wrong|i (?:missed|overlooked|forgot|misjudged|underestimated|dismissed|ignored|"
    r"skipped|assumed|rushed|approved|signed off)|i hadn't|i had not|i didn't (?:check|ask|"
    r"listen|test|verify|push|escalate|raise|flag)|my part (?:in|of)|i apologi[sz]ed)",
    re.IGNORECASE,
)
# Owning shows in admitting a miss and in taking the decision: either is evidence.
OWNS_ACTION = re.compile(
    OWNING.pattern + r"|\bi (?:decided|took (?:charge|ownership|the lead|it on)|made the call|"
    r"volunteered|stepped in|owned)\b|^(?:so |then |and )?i (?:\w+ed|led|ran|built|made|took|"
    r"wrote|set|chose|drove|brought|cut|found|got|put|sent|told)\b",
    re.IGNORECASE,
)
HYPOTHETICAL = _pattern(
    r"i(?:'d| would)(?! have)|i (?:will|'ll) (?:always|usually|typically|try|make sure)|"
    r"i (?:usually|typically|normally|generally|always|tend to)|what i (?:usually|typically|"
    r"normally|would|always) do|my approach (?:is|would be)|i try to|you (?:should|need to|"
    r"have to|want to)|the best (?:way|approach) is|in (?:that|this|such a) (?:case|situation)"
    r",? i(?:'d| would)|i(?:'d| would) probably|i(?:'d| would) (?:first|then|start|begin)"
)
HUMBLE_BRAG = _pattern(
    r"(?:care|cared|caring) too much|too (?:much of a )?perfectionist|perfectionis|"
    r"work(?:ed|ing)? too (?:hard|much)|too (?:dedicated|passionate|committed|detail[- ]oriented|"
    r"driven|thorough|ambitious|invested)|high(?:er)? standards? than|"
    r"(?:hold|held|holding) (?:everyone|people|myself|others) to (?:a )?(?:higher|high|impossible)|"
    r"(?:weekends|nights|late nights) (?:to|because|so)|"
    r"my (?:only|biggest) (?:weakness|mistake|failure|flaw) (?:is|was) that i|"
    r"(?:couldn't|could not|can't) "
    r"say no|(?:worked|working) (?:every|through the) (?:weekend|night)|over-?deliver|"
    r"spoil(?:ed|t) (?:them|him|her|my)|(?:set|raised) the bar so high|"
    r"nobody else could (?:meet|match|keep up)|couldn't keep up with me|"
    r"too (?:responsive|available|reliable|generous|helpful)"
)
GENERIC = _pattern(
    r"i always|i usually|i generally|i typically|in general|generally speaking|"
    r"i(?:'m| am) (?:a|very|really|always) (?:good|great|strong|hard[- ]working|team player|"
    r"people person|problem solver)|(?:things|stuff) like that|various|a lot of things|"
    r"all kinds of|and so on|et cetera|etc\.?|whatever (?:it|was) (?:needed|took)|"
    r"some (?:stuff|things|issues|problems)|kind of|sort of|basically|overall it went|"
    r"it (?:all )?worked out|things (?:got|went) better|everyone was happy|"
    r"(?:good|great|positive) (?:results|outcome|feedback)|"
    r"communicat(?:e|ed|ing) (?:clearly|well|effectively)|work(?:ed)? hard"
)


@dataclass(frozen=True)
class Family:
    id: str
    keywords: tuple[str, ...]
    cues: re.Pattern[str]
    components: tuple[str, ...]
    advice: str
    probe: str
    against: re.Pattern[str] | None = None


FAMILIES: tuple[Family, ...] = (
    Family(
        "ownership",
        ("owner", "accountab", "responsib", "own", "blame", "mistake", "admit", "fault"),
        OWNS_ACTION,
        ("action", "task", "learning"),
        "Name the decision that was yours and what you would own differently, in the first "
        "person, before anything about other people.",
        "Looking back, which part of that outcome was yours?",
        BLAME,
    ),
    Family(
        "growth",
        (
            "growth",
            "learn",
            "lesson",
            "before",
            "after",
            "reflect",
            "improv",
            "habit",
            "systemic",
            "change",
            "framework",
            "catalyst",
            "recurrence",
        ),
        _pattern(
            r"i learn(?:ed|t)|lesson|since then|now i|these days|today i|looking back|hindsight|"
            r"i realized|i realised|next time|taught me|changed how i|i now|i've since|"
            r"i have since|going forward|from then on|ever since|i started (?:to |doing |using "
            r"|running |asking |writing |keeping |holding )|i (?:built|created|introduced|"
            r"adopted|wrote|added) (?:a|an) (?:checklist|template|rule|ritual|habit|review|"
            r"process|playbook|step)|checklist|playbook|every (?:week|month|project|quarter|"
            r"time)|before every"
        ),
        ("learning",),
        "End with what you do differently now: a habit, a checklist or a rule you still use, "
        "and when you last used it.",
        "What do you do differently now because of this?",
    ),
    Family(
        "humility",
        ("humil", "humble", "admit", "ego", "flaw", "self-aware", "vulnerab", "blind"),
        _pattern(
            r"i was wrong|my ego|i didn't listen|i did not listen|i was defensive|defensive|"
            r"i misjudged|i underestimated|i overestimated|i assumed|blind spot|i was too|"
            r"i hadn't|i had ignored|embarrass|uncomfortable truth|hard to hear|stung|"
            r"i dismissed|my pride|i was overconfident|i got it wrong|i should have listened"
        ),
        ("action", "learning"),
        "Admit the flaw in your own judgment plainly (what you assumed or ignored), without "
        "softening it into a strength.",
        "What did you misjudge, and why do you think you missed it at the time?",
        HUMBLE_BRAG,
    ),
    Family(
        "analysis",
        (
            "analy",
            "root",
            "cause",
            "data",
            "metric",
            "evidence",
            "diagnos",
            "insight",
            "numbers",
            "quantif",
            "measur",
            "rigor",
            "problem",
            "solv",
        ),
        _pattern(
            r"root cause|analy[sz]|data|the numbers|dashboard|spreadsheet|logs?\b|pattern|"
            r"hypothes|a/b|tested|measured|baseline|survey|interviewed|audit|traced|diagnos|"
            r"broke (?:it|them|down)|compared|cohort|sample|model(?:ed|led)?|forecast|"
            r"pulled (?:the|every|two|three|six)"
        ),
        ("action", "task"),
        "Show how you found out what was really going on: what you looked at, what you "
        "compared, and what it told you.",
        "How did you know that was the real cause and not a symptom?",
    ),
    Family(
        "empathy",
        (
            "emotion",
            "empath",
            "morale",
            "trust",
            "feel",
            "relationship",
            "listen",
            "burnout",
            "care",
            "intelligen",
            "people",
        ),
        _pattern(
            r"morale|trust|felt|feel|frustrat|upset|anxious|stress|burn(?:ed|t)? ?out|"
            r"listened|listen|empath|apologi|one-on-one|1:1|checked in|check in|"
            r"understand (?:their|his|her|why|what)|heard (?:them|him|her)|acknowledg|calm|"
            r"reassur|worried|scared|exhausted|nervous|angry"
        ),
        ("action", "result", "learning"),
        "Show that you noticed how the people involved felt and what you did about it, with "
        "one concrete moment.",
        "How did the people on your team feel while this was happening, and how did you know?",
    ),
    Family(
        "communication",
        (
            "communicat",
            "transparen",
            "clear",
            "explain",
            "inform",
            "update",
            "candor",
            "candid",
            "honest",
            "message",
            "articulat",
            "escalat",
            "visibility",
            "surfac",
            "alarm",
        ),
        _pattern(
            r"told|explained|wrote|emailed|briefed|presented|updated|shared|raised|flagged|"
            r"escalated|informed|walked (?:them|him|her|the \w+) through|memo|summary|"
            r"status (?:update|report)|announced|called (?:a|the|each|every)|laid out|"
            r"put (?:it|this) in writing|one-page|slide"
        ),
        ("action",),
        "Say who you told, when, and in what words or format, especially the news that was "
        "hard to deliver.",
        "How exactly did you deliver that message, and how was it received?",
    ),
    Family(
        "influence",
        (
            "stakeholder",
            "influen",
            "persua",
            "align",
            "buy-in",
            "manag",
            "executive",
            "sponsor",
            "convinc",
            "negotiat",
            "authority",
            "bring",
        ),
        _pattern(
            r"stakeholder|buy-in|aligned|alignment|convinc|persuad|sponsor|\bvp\b|director|"
            r"executive|leadership team|board|on board|won (?:over|them|him|her)|agreed to|"
            r"pitched|proposal|made the case|business case|coalition|champion|negotiat|"
            r"objection|pushback|met with each|one by one|ally|allies"
        ),
        ("action",),
        "Show how you brought the people who could say no on board: whom you met, what each "
        "cared about, and what changed their mind.",
        "Who was hardest to convince, and what finally changed their mind?",
    ),
    Family(
        "customer",
        ("customer", "client", "user", "patient", "guest", "service", "consumer", "shopper"),
        _pattern(
            r"customers?|clients?|users?|patients?|guests?|shoppers?|members?|callers?|buyers?|"
            r"account(?:s)?\b|subscribers?|residents?|families|students?|parents?"
        ),
        ("situation", "action", "result"),
        "Put the customer at the centre: what they needed, what you did for them, and how "
        "you know it helped them.",
        "How did the customer see this, and how do you know?",
    ),
    Family(
        "judgment",
        (
            "decision",
            "decid",
            "judgment",
            "judgement",
            "risk",
            "trade",
            "weigh",
            "option",
            "call",
            "uncertain",
            "incomplete",
            "pragmat",
            "calculated",
        ),
        _pattern(
            r"decid|decision|trade-?off|weigh|options?\b|risks?\b|worst case|roll ?back|"
            r"threshold|criteria|pros and cons|reversible|contingency|mitigat|safeguard|"
            r"guardrail|pilot|kill switch|fallback|plan b|downside|upside|bet\b|"
            r"chose|opted|instead of"
        ),
        ("action", "task"),
        "Lay out the options you weighed, what you chose, and the risk you accepted, with the "
        "reason in one sentence.",
        "What other options did you consider, and why did you rule them out?",
    ),
    Family(
        "prioritization",
        ("priorit", "competing", "urgent", "deadline", "triage", "focus", "sequenc", "pressure"),
        _pattern(
            r"priorit|first\b|triage|urgent|deadline|deferr|postpon|let (?:\w+ )?slip|"
            r"dropped|focus(?:ed)? on|sequence|in order|most important|could wait|"
            r"pushed back|cut scope|de-?scope|parked|said no"
        ),
        ("action",),
        "Make the ranking explicit: what went first, what you let slip on purpose, and why.",
        "What did you decide not to do, and what did that cost?",
    ),
    Family(
        "conflict",
        (
            "conflict",
            "disagree",
            "tension",
            "resolv",
            "compromis",
            "friction",
            "dispute",
            "difficult",
            "peer",
            "colleague",
        ),
        _pattern(
            r"disagree|conflict|tension|common ground|compromis|sat down with|middle ground|"
            r"both (?:of us|sides)|perspective|heard (?:him|her|them) out|resolv|"
            r"agreed (?:on|to)|privately|face to face|in person|coffee|clear the air"
        ),
        ("action",),
        "Show the conversation itself: where you met, what you said, what you heard, and what "
        "you both agreed.",
        "What did the other person say when you raised it, in their words?",
    ),
    Family(
        "coaching",
        (
            "coach",
            "mentor",
            "feedback",
            "develop",
            "teach",
            "junior",
            "grow",
            "conversation",
        ),
        _pattern(
            r"feedback|coach|mentor|taught|paired|shadow|practi[cs]e|development plan|"
            r"goals?\b|specific example|stretch|checked in|weekly|1:1|one-on-one|"
            r"role-?play|review(?:ed)? (?:his|her|their)|improvement plan"
        ),
        ("action",),
        "Quote the feedback you gave or got, with one specific example, and what you did to "
        "follow it up.",
        "What exactly did you say in that conversation, and how did they react?",
    ),
    Family(
        "integrity",
        (
            "integrit",
            "ethic",
            "honest",
            "right",
            "principle",
            "complian",
            "values",
            "courage",
            "pressure",
            "wrong",
        ),
        _pattern(
            r"refus|right thing|ethic|honest|disclos|reported|compliance|regulat|"
            r"wouldn't sign|would not sign|declined|integrity|legal|policy|transparen|"
            r"put it in writing|on the record|wasn't (?:right|comfortable)|"
            r"not comfortable|held (?:my|the) (?:line|position)|stood firm"
        ),
        ("action",),
        "Say what you refused or disclosed, to whom, and what holding that position cost you.",
        "What did holding that position cost you personally?",
    ),
    Family(
        "leadership",
        (
            "leader",
            "lead",
            "change",
            "vision",
            "rally",
            "motivat",
            "inspir",
            "direction",
            "transform",
            "resist",
            "organization",
            "strateg",
        ),
        _pattern(
            r"vision|rolled out|roll-?out|pilot|champions?|resist|rally|motivat|delegat|"
            r"empower|set the direction|town hall|kick-?off|strategy|roadmap|plan\b|"
            r"i led|i set up|i formed|i appointed|i restructured|i reorgani[sz]ed"
        ),
        ("action",),
        "Show how you set the direction and got people moving: the plan, the first steps, and "
        "how you handled the doubters.",
        "How did you handle the people who resisted the change?",
    ),
    Family(
        "adaptability",
        (
            "resilien",
            "adapt",
            "ambigu",
            "setback",
            "uncertain",
            "unfamiliar",
            "quick",
            "agil",
            "flexib",
            "composure",
            "calm",
        ),
        _pattern(
            r"adapt|pivot|setback|kept going|recover|regroup|under pressure|ambigu|uncertain|"
            r"unfamiliar|learned quickly|crash course|ramp(?:ed)? up|figured out|"
            r"changed (?:course|plans?)|started over|from scratch"
        ),
        ("action",),
        "Show how you adjusted when the plan stopped working: what you noticed and what you "
        "changed, quickly.",
        "What was the moment you realised the plan had to change?",
    ),
    Family(
        "innovation",
        ("innovat", "creativ", "idea", "experiment", "new", "invent", "novel", "improv", "process"),
        _pattern(
            r"new approach|idea|prototype|experiment|pilot|tested|invent|redesign|automat|"
            r"tried|mock-?up|proof of concept|trial"
        ),
        ("action",),
        "Show the idea, the smallest test you ran to prove it, and what the test showed.",
        "How did you test the idea before betting on it?",
    ),
    Family(
        "results",
        ("result", "impact", "outcome", "deliver", "business", "value", "success", "perform"),
        _pattern(
            r"\d|percent|doubled|tripled|halved|increased|decreased|reduced|grew|saved|"
            r"revenue|cost|on time|ahead of"
        ),
        ("result",),
        "Close the result with a number: before and after, money, time or customers.",
        "What number tells you it worked?",
    ),
    Family(
        "collaboration",
        ("collabor", "team", "cooperat", "partner", "cross", "together", "support", "help"),
        _pattern(
            r"together|partner|collaborat|cross-functional|paired|helped|supported|jointly|"
            r"with (?:the|my) (?:team|colleagues?|peers?)|asked for help|divided|handed off"
        ),
        ("action",),
        "Show your part in the team's work and how you made others' work easier.",
        "What did you personally contribute that the team wouldn't have had otherwise?",
    ),
)
FAMILY_BY_ID = {family.id: family for family in FAMILIES}
