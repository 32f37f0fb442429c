# ruff: noqa: E501
# (Regex data reads best unwrapped.)
"""Concept groups for the co-occurrence layer of the emergency check.

The phrase patterns in `bot.safety.phrases` recognise wordings; this layer recognises ideas.
Each group is a small word family (stems, slang, common misspellings); a flag fires when one
member of every group of one of its rules appears close together (`window` words, in the same
sentence or clause), and the same negation, idiom, past-time and general-question checks as the
phrase layer accept it. So "necks seized up, head splitting, got a temperature" is caught
without a pattern for that wording. Text conventions and the " ~N " gap are those of `phrases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from bot.safety.phrases import AREA, CHEST, NUMB_STATE


@dataclass(frozen=True)
class Rule:
    """Groups that must all appear, at most `window` words apart, within one `scope`."""

    groups: tuple[str, ...]
    window: int = 12
    scope: str = "sentence"  # or "clause"
    # True when the words describe an experience by themselves ("want to end it"); False when
    # they may be talk about symptoms ("the article lists a stiff neck and fever").
    personal: bool = False


_NEG = r"(?:not|dont|cant|cannot|isnt|arent|never|wont|couldnt|doesnt|didnt|no)"
_NECK = r"(?:neck|necks)"
_MOVE = (
    r"(?:move|moves|moving|moved|bend|bends|bending|turn|turns|turning|look|looks|looking|"
    r"nod\w*|tilt\w*|lift\w*|lower\w*|flex\w*)"
)
_HURT = r"(?:hurts?|hurting|agony|kills|killing|pain\w*|sore|aches?|aching|achy)"

CONCEPTS: MappingProxyType[str, str] = MappingProxyType(
    {
        # --- stiff_neck ---------------------------------------------------------------------
        "neck_bad": (
            rf"{_NECK} ~3 (?:(?:so |really |very |super |totally |completely )?(?:stiff\w*|rigid|"
            r"seiz\w*|locked|frozen|solid|set like|like a (?:board|plank|rod|brick|rock)|"
            r"made of (?:wood|stone|concrete|iron|steel|metal))|"
            rf"(?:cant|cannot|wont|couldnt|doesnt) ~1 {_MOVE}|{_HURT} ~2 (?:to|when|if|whenever|"
            rf"every time) ~3 {_MOVE}|{_MOVE} ~3 {_HURT})|"
            rf"(?:stiff\w*|rigid|seized|locked) ~2 {_NECK}|"
            rf"(?:cant|cannot|couldnt|wont|unable to|struggl\w* to|hard to|hurts to|painful to|"
            rf"agony to) (?:bend|move|turn|tilt|nod|lower|drop|flex|lift) ~2 {_NECK}|"
            r"(?:cant|cannot|couldnt|unable to) (?:get|put|touch|bring|tuck) ~2 chin ~3 chest"
        ),
        "neck_sore": (
            rf"{_NECK} ~3 (?:{_HURT}|tight|tender)|(?:sore|aching|achy|painful|tight|tender) "
            rf"{_NECK}|(?:pain|ache|aches) (?:in|at) (?:my |his |her |their |the )?(?:back of the )?{_NECK}"
        ),
        "feverish": (
            r"fever\w*|feaver\w*|temp|temps|temperature|temperatures|febrile|burning up|"
            r"boiling (?:hot|up)|roasting|hot to (?:the )?touch|hot and cold|(?:3[89]|4[01])\d?(?: ?(?:degrees|deg|c))?"
        ),
        "headache": (
            r"headach\w*|head ach\w*|migraine\w*|(?:head|skull) ~3 (?:pound\w*|splitting|split|throb\w*|"
            r"bang\w*|hurts?|hurting|aches?|aching|killing|exploding|agony|sore|pain\w*|thump\w*|"
            r"bursting|about to (?:explode|burst))|(?:pounding|splitting|throbbing|banging|thumping|"
            r"blinding|raging|killer|massive|sore|splitter) head\w*"
        ),
        "light_hurts": (
            r"(?:light|lights|sunlight|daylight|brightness|bright|sun|screen|screens) ~3 (?:hurts?|"
            r"hurting|painful|bothers?|bothering|burns?|stings?|kills?|killing|too bright|too much|"
            r"agony|unbearable|sore)|(?:hates?|hating|cant (?:stand|bear|handle|tolerate|look at)|"
            r"avoid\w*|hid\w* from|shield\w*|squint\w* at|cover\w* (?:his |her |my |their )?eyes from) "
            r"(?:the |any )?(?:light|lights|bright|brightness|sun|sunlight|daylight)|photophob\w*|"
            r"sensitiv\w* to (?:the )?light|light sensitiv\w*|eyes ~3 (?:hurt\w*|sensitive|sore|"
            r"painful|stinging) ~3 (?:light|lights|bright)"
        ),
        "vomiting": r"vomit\w*|throwing up|threw up|throw up|thrown up|spew\w*|chuck\w* up|puk\w*",
        # --- breathing ----------------------------------------------------------------------
        "air": (
            r"air|breath|breaths|breathe|breathes|breathing|puff|wind|oxygen|o2|lungful\w*|"
            r"inhale|lungs"
        ),
        "air_struggle": (
            r"(?:cant|cannot|couldnt|unable to|struggl\w*(?: to)?|hard to|difficult to|battling to|"
            r"fighting to|trying to|trouble|difficulty|can barely|can hardly|barely|hardly|not able to) "
            r"(?:\w+ )?(?:get\w*|catch\w*|take|taking|draw\w*|pull\w*|suck\w*|find|grab\w*|fill\w*|"
            r"gulp\w*|drag\w*|in)|(?:gasping|gulping|fighting|struggling|desperate|straining|"
            r"heaving) for|short of|shortness of|starved of|lack of|"
            r"laboured|labored|rasping|ragged"
        ),
        "air_short": (
            rf"{_NEG} (?:\w+ ){{0,4}}enough (?:air|breath|oxygen|o2|puff|wind)|(?:air|breath|oxygen) "
            rf"~3 {_NEG} (?:\w+ )?(?:going|get\w*|com\w*|reach\w*) (?:in|down|through)|"
            r"(?:breathing|breath|breathe) ~3 (?:is |s |feels? )?(?:so |really |very )?(?:hard work|"
            r"an effort|a struggle|a battle|a fight|laboured|labored|ragged)|"
            r"(?:fighting|struggling|battling|working hard) (?:for|to) (?:each|every) breath"
        ),
        # --- self_harm ----------------------------------------------------------------------
        # The means and a plan: "got a rope and a plan".
        "means": r"rope|noose|gun|razor|razors|blade|blades|bridge|cliff",
        "plan": r"plan|plans|planned|planning|ready|decided|goodbye note|note|notes|letter",
        "intent": (
            r"want\w*|wanna|wish\w*|thinking|think\w*|thought\w*|plan\w*|gonna|going to|ready to|"
            r"tempted|urges?|feel like|feels like|considering|decided|looked up|looking up|"
            r"research\w*|googl\w*|tried to|trying to|keeps? saying|talking about|talks about|"
            r"looking at|looked at|working out|worked out|counting|counted"
        ),
        "ending": (
            r"disappear\w* (?:for good|forever|for ever|permanently|completely|for real)|"
            r"(?:not|never|and not) (?:wake|waking|wakes) up(?! (?:till|until|before|early|at|in))|"
            r"(?:end|ending) (?:it|it all|things|everything|(?:my|his|her|their) li(?:fe|ves))|"
            r"be (?:gone|dead) (?:for good|forever|for ever|permanently)|"
            r"(?:not|no longer) (?:be|being) (?:here|around|alive)|"
            r"how (?:i|he|she|they|to|id) (?:would |could |will |might |should |d )?(?:do it|end it|go about it|die)|"
            r"overdos\w*|how many (?:of (?:my|his|her|the|them) )?(?:\w+ )?(?:pills|tablets|panadol)|"
            r"enough (?:pills|tablets)|"
            r"(?:die|dying|be dead|kill (?:my|him|her|them)sel\w*)(?! (?:of|for|from|to|laughing|down))"
        ),
        "ending_alone": (
            r"better off (?:without (?:me|him|her|us)|dead|gone)|better off ~3 (?:if|when|once) "
            r"(?:i|he|she) ~2 (?:wasnt|werent|was not|were not|was gone|were gone|was dead|were dead|"
            r"didnt exist|disappeared|died)|"
            r"(?:dont|doesnt|cant|cannot|dont really) see (?:the|any|a) (?:point|reason) (?:in |of |to )?"
            r"(?:living|waking up|going on|carrying on|being alive|being here|existing|life)|"
            r"no (?:point|reason) (?:in |to )?(?:living|live|being alive|going on|carrying on|existing|"
            r"waking up|being here)|"
            r"(?:plan|plans|planning|planned|worked out|figured out) (?:how|when|where) (?:to|i|he|she|id) ~2 (?:die|do it|end it|kill)"
        ),
        # --- chest_pain ---------------------------------------------------------------------
        "chest": rf"{CHEST}|ribcage|rib cage",
        "chest_hurt": (
            r"pain\w*|hurt\w*|ach\w*|tight\w*|pressure|heav\w*|squeez\w*|crush\w*|sore|burn\w*|"
            r"stab\w*|band|vice|vise|weight|elephant|brick|sharp|agony|constrict\w*|clench\w*|"
            r"gripp\w*|clamp\w*|twing\w*|pang\w*"
        ),
        "heart_hurt": (
            r"heart ~2 (?:hurts?|hurting|pain\w*|aching|aches|squeez\w*|crush\w*|clench\w*|"
            r"gripp\w*|stabb\w*|in a vi[cs]e)"
        ),
        # --- saddle_numbness ----------------------------------------------------------------
        "saddle_area": (
            rf"{AREA}|bottom|bum cheek\w*|butt cheek\w*|seat|saddle area|crotch|groin|inner thighs?|"
            r"private\w*|undercarriage|nether\w*|bits down there"
        ),
        "numb": (
            rf"{NUMB_STATE}|(?:cant|cannot|couldnt|barely|hardly) feel|no (?:feeling|sensation)|"
            r"lost (?:the |all )?(?:feeling|sensation)|(?:like|as if|as though) ~4 (?:inject\w*|"
            r"anaesthet\w*|anesthet\w*|a local|numbing|dentist|novocaine)"
        ),
        # --- bladder_bowel ------------------------------------------------------------------
        "toilet": (
            r"pee\w*|wee|wees|weed|weeing|urin\w*|bladder|wet|wetting|poo|poos|pooed|poop\w*|"
            r"bowel\w*|soil\w*|toilet|loo|dunny|number (?:one|two|ones|twos)|stool|stools"
        ),
        "toilet_control": (
            r"(?:cant|cannot|couldnt|unable to|not able to|no longer|(?:havent|hasnt|not) been able to) "
            r"(?:go|pee|wee|hold|control|stop|"
            r"empty|pass|start|get (?:it|anything) out|feel)|(?:no|lost|losing|zero) control|"
            r"accidents?|leak\w*|dribbl\w*|trickl\w*|without (?:noticing|knowing|realising|realizing|"
            r"feeling)|(?:didnt|dont|doesnt) (?:even )?(?:notice|know|realise|realize|feel)|"
            r"nothing (?:comes|came|coming|will come|happens|happened)|(?:and|but) nothing(?! else| much| wrong| serious)|"
            r"not a (?:drop|drip)|(?:wont|wouldnt) (?:come|start|flow)|"
            r"comes out (?:by itself|on its own)"
        ),
        # Retention: trying to go and nothing comes, "unable to void", a full bladder that
        # will not empty. No single "toilet" word plus a "can't" word says this as plainly.
        "retention": (
            r"(?:unable to|cant|cannot|couldnt|not able to|(?:havent|hasnt|hadnt|have not|has not) "
            r"been able to|(?:havent|hasnt) managed to) (?:void|urinate|pass (?:any )?(?:urine|water)|pee|wee)|"
            r"(?:trying|tried|try|tries|attempt\w*) (?:\w+ ){0,3}to (?:pee|wee|urinate|void|go|pass urine|"
            r"pass water) ~8 (?:nothing (?:comes|came|coming|happens|happened|will come)|(?:only|just) "
            r"(?:\w+ ){0,3}(?:dribbl\w*|drops?|drips?|trickl\w*)|(?:cant|cannot|couldnt) go|wont come)|"
            r"bladder ~6 (?:full|bursting|burst|swollen|distended) ~8| (?:cant|cannot|couldnt|unable to|"
            r"wont|not able to) (?:\w+ )?(?:empty|go|pee|wee|get it out|pass)|"
            r"(?:cant|cannot|couldnt|unable to|not able to) (?:\w+ )?(?:empty|drain) (?:my |his |her |their |the )?bladder"
        ),
        # --- leg_weakness -------------------------------------------------------------------
        "leg": r"leg|legs|foot|feet|knee|knees|ankle|ankles",
        "leg_fail": (
            r"weak\w*|gave way|give way|giving way|gives way|given way|gave out|give out|giving out|"
            r"gives out|buckl\w*|collaps\w*|folded|folding|fold under|wont (?:hold|work|move|support|"
            r"carry|take|lift|bend)|(?:cant|cannot|couldnt|unable to|struggling to) (?:lift|move|"
            r"stand|walk|feel|bend|straighten|control|hold|support)|not working|stopped working|"
            r"useless|floppy|jelly|no (?:strength|power|control)|dead weight|spaghetti|noodles?|"
            r"paraly\w*|dragg\w*|flopp\w*"
        ),
        # --- confusion ----------------------------------------------------------------------
        "confused": (
            r"confus\w*(?! about| by| with| what| why| how| whether| if| which| as to| over| at)|"
            r"disorient\w*|delirious|delirium|(?:not|isnt|arent|stopped|stop) making (?:any )?sense|"
            r"(?:dont|doesnt|didnt|cant|cannot) (?:\w+ )?(?:know|recogni\w*|remember|tell) "
            r"(?:where (?:i|he|she|they|we)|who (?:i|he|she|they|we|anyone)|what (?:day|year|month|time) it|"
            r"(?:his|her|my|their) own|me|us|anyone)|slurr\w*|"
            r"(?:cant|cannot|couldnt|hard to|unable to) (?:wake|rouse) (?:him|her|them|my \w+|\w+ up)|"
            r"(?:cant|cannot|couldnt|unable to) (?:get|make) (?:him|her|them|my \w+|\w+) (?:to )?"
            r"(?:wake|stay awake|respond|open (?:his|her|their) eyes)|"
            r"(?:losing|lost|lose|loses) track of (?:where|who|what day|what year|what time it is)|"
            r"(?:very|really|so|super|extremely|abnormally|unusually|too) (?:drowsy|dopey|out of it)|"
            r"(?:passing|passed|blacking|blacked|keeps? passing) out|(?:fainted|fainting|feel faint|"
            r"feeling faint|felt faint)(?! hearted| heart)|unresponsive|not responding|unconscious|away with the fairies|"
            r"(?:talking|speaking|babbling|mumbling|muttering) (?:complete |utter |total )?"
            r"(?:gibberish|nonsense|rubbish)"
        ),
        # --- rash_no_fade -------------------------------------------------------------------
        "rash": r"rash\w*|spots|spotty|dots|blotch\w*|marks|pin ?pricks?|specks|patches|freckles",
        "no_fade": (
            r"(?:doesnt|dont|didnt|wont|not|isnt|arent|never|cant|hasnt|havent|wouldnt) ~2 "
            r"(?:fade|faded|fading|blanch\w*|go white|go pale|turn white|disappear\w*|vanish\w*|"
            r"lighten\w*|change colou?r)|non ?blanch\w*|nonblanch\w*|still (?:there|visible|see|"
            r"showing|red|purple|dark)|(?:stays?|stayed|remains?|remained) (?:the same|red|purple|"
            r"dark|there|visible)"
        ),
        "purple": r"purpl\w*|petechi\w*|purpur\w*|pin ?prick\w*|pinpoint",
        # --- sepsis_signs -------------------------------------------------------------------
        "sepsis": (
            r"(?:shiver\w*|shak\w*|trembl\w*|teeth (?:are )?chattering|chattering teeth|rigors) ~3 "
            r"(?:uncontrollabl\w*|cant stop|wont stop|non ?stop|violently|(?:so|very|really) (?:hard|much|badly)|"
            r"like crazy|all over|head to toe)|uncontrollabl\w* (?:shiver\w*|shak\w*|trembl\w*)|"
            r"mottl\w*|marbl\w*|(?:purple|purplish|blue|bluish|dusky) ~2 (?:lacy|lace|net|web|blotchy)\w* "
            r"(?:pattern|patches|look|skin|markings)|(?:skin|lips|hands|feet|legs|arms|face|fingers|toes|knees) ~3 "
            r"(?:blotch\w* (?:and )?(?:blue|grey|gray|purple)|blue|bluish|bluey|grey|gray|ashen|"
            r"mottl\w*|marbl\w*)|(?:cold|pale|grey|gray|blue) and clammy|clammy and (?:cold|pale|grey|"
            r"gray|blue)|(?:not|havent|hasnt|didnt|no) (?:\w+ ){0,2}(?:peed|weed|pee|wee|urinated|"
            r"urine|wees|pees) ~3 (?:all day|today|since|for \d+|in \d+|(?:\d+|twelve|all) (?:hours|hrs))|"
            r"worst (?:ive|i have|hes|shes|he has|she has) ever felt|something (?:is |s )?(?:badly|"
            r"seriously|really|very|terribly|horribly|definitely|majorly) (?:wrong|not right)"
        ),
        # --- major_trauma -------------------------------------------------------------------
        "impact": (
            r"(?:fell|fallen|falling)(?! asleep| back asleep| ill| sick| behind| apart| in love| for"
            r"| short| pregnant| off the wagon| through| silent| quiet| into (?:a |the )?(?:habit|"
            r"routine|trap|conversation))|(?:a|had a|bad|nasty|big|hard|heavy) fall|"
            r"slipped(?! (?:a |my )?dis[ck]| my mind| up)|tripped|"
            r"tumbl\w*|came off|come off|thrown off|flew off|went flying|landed(?! (?:a|the|my) "
            r"(?:job|role|contract|deal|gig|flight))|rear ended|collision|collided|tackled|"
            r"(?:car|bike|motorbike|road|work) (?:accident|crash)|crash\w* (?:my|the|into|our) ~1 "
            r"(?:car|bike|motorbike|ute|scooter|wall|tree|pole)|knocked (?:down|over|off)|"
            r"(?:fell|dropped|landed|came down) on (?:me|him|her|my|his)"
        ),
        # The person telling it (or he/she) had the impact: "I came off ...", "she's slipped".
        "impact_me": (
            r"(?:i|ive|id|im|we|he|hes|she|shes) (?:just |had |have |has |was |got |been |then )?"
            r"(?:fell|fallen|slipped|tripped|tumbled|came off|come off|went flying|landed|"
            r"got tackled|was tackled|got knocked|was knocked|got rear ended|was rear ended)"
        ),
        # A hard hit in contact sport: "copped a massive hit at footy". Not a team's bad result
        # or a hit to one's savings.
        "sport_hit": (
            r"(?<!team )(?<!club )(?<!side )(?:took|taken|taking|take|copped|cop|copping|got|had|received) "
            r"(?:a |an )?(?:(?:really |very |pretty |absolutely )?(?:massive|big|huge|hard|heavy|bad|nasty|"
            r"solid|proper|serious|almighty|whopping|decent|full on) )?(?:hit|knock|tackle|bump|whack|"
            r"blow|shoulder charge|cheap shot)(?! (?:in|to|on) (?:the |my |our |his |her |their )?"
            r"(?:standings|polls|ratings|markets?|savings|wallet|bank|finances|pocket|confidence|pride|"
            r"ego|budget|ladder|table))"
        ),
        "sport": (
            r"rugby|footy|football|league|union|afl|nrl|hockey|training|game|match|soccer|netball|"
            r"boxing|sparring|wrestling|judo|mma|scrum|ruck|lacrosse|gridiron|grand final|semi|derby"
        ),
        "impact_body": r"back|spine|neck|head|tailbone|coccyx|bum|backside|hip|hips|ribs",
        "impact_when": (
            r"ground|floor|concrete|stairs|steps|ladder|roof|today|yesterday|last night|"
            r"this morning|tonight|this arvo|this afternoon|earlier|just now|"
            r"(?:an?|one|few|couple of|[0-9]+) (?:hours?|hrs?|mins?|minutes?) ago"
        ),
    }
)

RULES: MappingProxyType[str, tuple[Rule, ...]] = MappingProxyType(
    {
        "stiff_neck": (
            Rule(("neck_bad", "feverish")),
            Rule(("neck_bad", "headache")),
            Rule(("neck_bad", "light_hurts")),
            Rule(("neck_bad", "vomiting")),
            Rule(("neck_sore", "light_hurts")),
            Rule(("neck_sore", "feverish", "headache"), window=16),
            Rule(("neck_sore", "feverish", "vomiting"), window=16),
        ),
        "breathing": (
            Rule(("air_struggle", "air"), window=4, scope="clause"),
            Rule(("air_short",)),
        ),
        "self_harm": (
            Rule(("intent", "ending"), window=10, personal=True),
            Rule(("ending_alone",), personal=True),
            Rule(("means", "plan"), window=6, personal=True),
        ),
        "chest_pain": (
            Rule(("chest", "chest_hurt"), window=5, scope="clause"),
            Rule(("heart_hurt",)),
        ),
        "saddle_numbness": (Rule(("saddle_area", "numb"), window=6, scope="clause"),),
        "bladder_bowel": (
            Rule(("toilet", "toilet_control"), window=8),
            Rule(("retention",)),
        ),
        "leg_weakness": (Rule(("leg", "leg_fail"), window=5, scope="clause"),),
        "confusion": (Rule(("confused",)),),
        "rash_no_fade": (
            Rule(("rash", "no_fade"), window=8),
            Rule(("rash", "purple"), window=4, scope="clause"),
        ),
        "sepsis_signs": (Rule(("sepsis",)),),
        "major_trauma": (
            Rule(("impact", "impact_body"), window=6, scope="clause"),
            Rule(("impact_me", "impact_when"), window=8, scope="clause"),
            Rule(("sport_hit", "sport"), window=6),
            Rule(("sport_hit", "impact_body"), window=4, scope="clause"),
        ),
    }
)
