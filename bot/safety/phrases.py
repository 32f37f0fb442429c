# ruff: noqa: E501, SIM905
# (Regex data reads best unwrapped; word lists read best as one string split on spaces.)
"""Pattern data for spotting red flags and severe pain in free text.

Kept apart from the matching code so a reviewer can read what is recognised without reading
the engine. Patterns run on normalised text: lower-case ASCII words separated by single spaces,
apostrophes dropped ("can't" -> "cant", "I'm" -> "im"), clauses joined by " | ". A gap written
" ~N " stands for up to N words that are not negations, so "chest ~3 pain" matches "chest is
in pain" but not "chest doesnt pain". Each flag has `personal` patterns, which describe an
experience by themselves ("cant breathe", "legs gave way"), and `nominal` ones, symptom names
that may also appear in a question about the symptom in general ("chest pain", "sepsis").
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class FlagPatterns:
    personal: tuple[str, ...] = ()
    nominal: tuple[str, ...] = ()


# --- shared fragments -------------------------------------------------------------------------

CANT = (
    r"(?:cant|cannot|can not|cnt|carnt|couldnt|could not|unable to|not able to|no longer able to|"
    r"struggling to|struggle to|struggled to|hard to|difficult to|can barely|can hardly|"
    r"could barely|could hardly|barely|hardly|havent been able to|cant seem to|fighting to)"
)
TROUBLE = r"(?:trouble|difficulty|difficulties|problems?|issues?|struggling|struggle)"
BE = r"(?:is|are|was|were|feels?|felt|feeling|looks?|looked|looking|seems?|has|have|had|s|got|get|getting|gone|went|going|turned|turning|keeps?)"
INTENSE = r"(?:so |very |really |totally |completely |extremely |super |quite |a bit |bit |kinda |kind of |pretty )"
AREA = (
    r"(?:saddle|groin|genital\w*|genitels|privates|private (?:parts|area|bits|region)|down there|"
    r"bum|butt|buttocks?|bum cheeks|butt cheeks|backside|arse|ass|anus|back passage|perineum|"
    r"taint|crotch|inner thighs?|thighs inside|between (?:my|the|his|her) legs|vagina|vulva|"
    r"penis|testicles|balls|nether regions|undercarriage|(?:my|his|her) bottom(?! of))"
)
NUMB = (
    r"(?:numb\w*|tingl\w*|pins and needles|no feeling|lost (?:all )?(?:the )?feeling|"
    r"loss of (?:feeling|sensation)|reduced (?:feeling|sensation)|cant feel (?:anything|a thing)|"
    r"dead|like rubber|no sensation)"
)
PEE = (
    r"(?:pee|wee|urinate|piss|pass urine|pass water|go to the toilet|go to the loo|go to the bathroom|"
    r"empty my bladder|do a wee|have a wee|do a pee|have a pee|peeing|weeing|urinating|poo|poop|"
    r"have a poo|do a poo)"
)
RASH = r"(?:rash|rashes|spots|blotch\w*|marks|dots|bruis\w*|pinpricks?)"
SIDE = r"(?:left |right |both |one |lower |upper |bad |good )?"
LEGS = r"(?:legs?|knees?|feet|foot)"
PERSON = r"(?:he|she|they|mum|mom|mam|dad|husband|wife|partner|son|daughter|baby|child|kid|hubby|him|her)"
SUBJ = r"(?:i|he|she|we|they|mum|mom|dad|husband|wife|son|daughter|partner|just|then|and|had|have|has|recently|accidentally)"
SELF_INTENT = (
    r"(?:want|wanna|wanting|going|gonna|thinking|thought|thoughts|think|urge|urges|tempted|plan|"
    r"planning|planned|feel like|feeling like|might|could|will|ready|decided|considering)"
)
CHEST = (
    r"chest(?! infection| cold| cough| congest| xray| x ray| drain| physio| infect| muscle"
    r"| freezer| of drawers| hair)"
)
CHEST_HURTS = (
    r"(?:pain\w*|hurts?|hurting|ache\w*|aching|tight\w*|pressure|heavy|heaviness|squeez\w*|"
    r"crush\w*|sore|burn\w*|discomfort|pressing|stabbing|agony|pounding|constrict\w*|killing me)"
)
CHEST_PAIN_WORDS = (
    r"(?:pain|pains|ache|aching|tightness|tight|pressure|heaviness|squeezing|crushing|"
    r"discomfort|stabbing|burning|weight|band|elephant)"
)
CHEST_IN = (
    r"(?:in|on|across|around|round|through|over|to|inside) (?:the )?(?:middle |centre |center |left side "
    r"|right side |side |front )?(?:of )?"
)
FEVER = (
    r"(?:fever\w*|feaver\w*|temperature|high temp|a temp|temp of|febrile|burning up|"
    r"hot and cold|sweats and chills|headache\w*|head ache|migraine|"
    r"head ~2 (?:is )?(?:pounding|splitting|throbbing|hurts|hurting|aches|killing me|exploding))"
)
LIGHT_HURTS = (
    r"(?:(?:the )?(?:light|lights|sunlight|daylight|brightness|bright lights?|screen) ~2 "
    r"(?:hurts?|hurting|painful|bothers|bothering|burns|stings|kills|killing|too bright|too much) "
    r"~2 (?:my )?eyes?|eyes? ~3 (?:sensitive|hurt|hurting|sore|painful) (?:to|in|from|with) "
    r"(?:the )?(?:light|brightness|bright)|sensitive to (?:the )?light|light sensitivity|"
    r"sensitivity to (?:the )?light|photophob\w*|cant (?:stand|bear|tolerate|handle|look at) "
    r"(?:the )?(?:light|lights|bright))"
)

# --- per flag ---------------------------------------------------------------------------------

FLAGS: MappingProxyType[str, FlagPatterns] = MappingProxyType(
    {
        "saddle_numbness": FlagPatterns(
            personal=(
                rf"{AREA} ~3 {BE} ~2 (?:numb\w*|tingl\w*|dead|like rubber|no feeling|pins and needles|asleep)",
                rf"{CANT} feel (?:anything )?(?:in |around )?(?:my |his |her )?{AREA}",
                rf"(?:wipe|wiping|wiped) ~4 {CANT} feel",
                r"(?:cant|cannot|couldnt|dont|didnt) feel (?:it )?(?:when|if) i (?:wipe|wiped)",
                r"(?:sitting|sit) (?:on|feels like) (?:a )?(?:numb|dead) ~2 (?:saddle|cushion)",
            ),
            nominal=(
                rf"{NUMB} ~3 (?:in |around |on |of )?(?:my |the |his |her )?{AREA}",
                r"saddle (?:numbness|anaesthesia|anesthesia|area numbness)",
                r"cauda equina",
            ),
        ),
        "bladder_bowel": FlagPatterns(
            personal=(
                rf"{CANT} (?:to )?(?:actually )?{PEE}",
                r"(?:wet|peed|pissed|weed|soiled|pooed|pooped|pood|shat|messed|wee d) "
                r"(?:myself|himself|herself|my pants|my undies|my knickers|my trousers|my jeans|"
                r"my underwear|my bed|the bed|his pants|her pants)",
                r"(?:lost|losing|lose|no|zero|cant|cannot) control (?:of|over) (?:my |his |her )?"
                r"(?:bladder|bowels?|bowel movements|pee|wee|weeing|peeing|toilet|poo|poos)",
                r"(?:cant|cannot|couldnt) (?:hold|control) (?:it in |in )?(?:my )?"
                r"(?:pee|wee|bladder|bowels?|poo|urine|wees|poos)",
                r"(?:cant|cannot|couldnt|dont|didnt) (?:feel|tell|know) when i (?:need|have) to "
                r"(?:pee|wee|go|poo)",
                r"(?:accident|accidents) in my (?:pants|undies|underwear|bed|trousers)",
                r"(?:pee|wee|urine|poo|stool) ~2 (?:comes|came|come|leaks|leaked|coming) ~2 "
                r"(?:out )?(?:without|by itself|on its own)",
                r"(?:bladder|bowels?) (?:wont|doesnt|didnt|dont) (?:empty|work)",
                r"(?:bladder|bowels?) (?:just )?(?:went|gone|emptied|opened|let go) ~2 "
                r"(?:without|on (?:its|their) own|by (?:itself|themselves)|no warning)",
            ),
            nominal=(
                rf"(?:{TROUBLE}|hard time|trying) (?:with |to )?(?:actually )?{PEE}",
                r"(?:bladder|bowels?) ~3 (?:accidents?|leaking|leaks|gave way|giving way|"
                r"let go|not working|stopped working|wont work|wont empty|doesnt empty)",
                r"(?:leaking|leaked|dribbling) (?:urine|pee|wee)",
                r"incontinen\w*",
                r"(?:urinary|urine) retention",
                r"(?:loss|lost) of (?:bladder|bowel) (?:control|function)",
            ),
        ),
        "leg_weakness": FlagPatterns(
            personal=(
                rf"{LEGS} ~2 (?:gave way|gave out|giving way|giving out|give way|give out|"
                r"keep giving|buckl\w*|collaps\w*|went from under me|went out from under me|"
                r"gone from under me|went from underneath me|just went|wont hold me|cant hold me|"
                r"wouldnt hold me|wont hold (?:him|her)|cant hold (?:him|her)|wont support me|"
                r"cant support me|wont carry me|like jelly|turned to jelly|wont work|arent working|"
                r"not working|stopped working|wont move|dragging|floppy|useless|paralys\w*|"
                r"paralyz\w*|folded|folding)",
                rf"{LEGS} ~2 {BE} ~1 {INTENSE}?(?:weak|weaker|wobbly and weak|like jelly|useless)",
                rf"{CANT} (?:walk|stand(?! the| it| him| her| this| that| bright| light| noise| being| people)|stand up|move (?:my |his |her )?{SIDE}legs?|"
                rf"lift (?:my |his |her )?{SIDE}(?:legs?|foot|feet|toes)|"
                r"feel (?:my |his |her )?legs|bear weight|put weight on|straighten my legs?)",
                r"my foot ~2 (?:drops|dropping|flops|flopping|slaps|dragging)",
                r"(?:tripping|trip) over my (?:own )?(?:feet|foot|toes)",
            ),
            nominal=(
                rf"(?:weak|weakness) (?:in|of) (?:my |his |her |both |one |the )?{SIDE}"
                r"(?:legs?|foot|feet|knees?)",
                r"(?:foot drop|drop foot|dropped foot)",
                r"weak legs?",
                r"(?:leg|legs) weakness",
            ),
        ),
        "breathing": FlagPatterns(
            personal=(
                rf"{CANT} (?:to )?(?:breathe?|breathing|breath in|breathe in|"
                r"catch (?:my |his |her )?breath|get (?:a |my |his |her |enough )?(?:breath|air)|"
                r"get air in|take a (?:deep )?breath)",
                r"(?:gasping|gulping|fighting|struggling) (?:for )?(?:air|breath)",
                r"(?:lips|face|mouth|tongue) ~2 (?:is |are |went |gone |going |turned |turning |"
                r"look |looks |looking |s )?(?:a bit |bit |slightly |kinda |really |very )?"
                r"(?:blue|bluish|blueish|purple|grey|gray)",
                r"(?:breathing|breath|breaths) ~2 (?:is |are |s )?(?:so |very |really |super )?"
                r"(?:fast|rapid|quick|shallow|laboured|labored|raspy|rasping|gasping|struggling|"
                r"difficult|hard|weird|noisy)",
                r"(?:breathing|panting) (?:really |very |so |super )?(?:fast|quickly|rapidly|hard)",
                r"(?:im|hes|shes|i am|he is|she is|feel like im|feels like) (?:choking|suffocating|drowning)",
                r"(?:every|each) breath ~2 (?:struggle|effort|fight|hard|battle)",
                r"out of breath (?:just )?(?:sitting|lying|at rest|doing nothing|talking|even)",
                r"(?:cant|cannot|cant even) (?:finish|say) (?:a )?(?:sentence|full sentence)",
            ),
            nominal=(
                rf"{TROUBLE} (?:with |to )?(?:my |his |her )?(?:breathe?|breathing)",
                r"(?:blue|bluish|purple|grey) (?:lips|face)",
                r"short(?:ness)? of breath",
                r"breathless\w*",
                r"(?:breathing|respiratory) (?:difficulty|difficulties|distress|problems)",
                r"(?:difficult|laboured|labored) breathing",
            ),
        ),
        "chest_pain": FlagPatterns(
            personal=(
                rf"(?:my|his|her|our|their) {CHEST} ~3 {CHEST_HURTS}",
                rf"{CHEST} (?:is|s|feels|felt|has been|keeps|was|went|getting|gets|started) ~4 "
                rf"{CHEST_HURTS}",
                rf"{CHEST_PAIN_WORDS} ~3 {CHEST_IN}(?:my |his |her )chest",
            ),
            nominal=(
                rf"{CHEST} ~3 {CHEST_HURTS}",
                rf"{CHEST_PAIN_WORDS} ~3 {CHEST_IN}(?:the )?chest",
                r"(?:tight|heavy|sore|painful|crushing) chest",
                r"(?:heart attack|angina)",
            ),
        ),
        "confusion": FlagPatterns(
            personal=(
                rf"{INTENSE}?(?:confused|disoriented|disorientated|delirious|muddled|befuddled)"
                r"(?! about| by| with| what| why| how| whether| if| which| as to| because| when| over)",
                r"(?:hes|shes|he is|she is|theyre|they are|im|i am|i keep|keeps?) "
                r"(?:not making (?:any )?sense|talking nonsense|talking gibberish|making no sense)",
                r"(?:cant|cannot|couldnt|unable to|hard to|struggling to|cant seem to) "
                r"(?:wake|rouse) (?:him|her|them|me|my \w+|\w+)",
                rf"{PERSON} (?:wont|doesnt|didnt|isnt|wouldnt|cant) (?:waking|wake) up",
                r"(?:fainted|passed out|blacked out|lost consciousness|collapsed|keep fainting|"
                r"keeps fainting|keep passing out|keep blacking out|feel faint|feeling faint|"
                r"felt faint|going to faint|about to faint|going to pass out|about to pass out)"
                r"(?! hearted| heart| smell| hope| idea| praise| line| memory| sound| glow)",
                r"(?:dont|doesnt|didnt|cant) (?:seem to |even )?(?:know|recogni[sz]e) (?:where (?:i am|he is|she is|we are)|"
                r"who i am|who he is|who she is|me|us|what day it is)",
                r"(?:hallucinat\w*|seeing things that arent there)",
                r"(?:cant|cannot) (?:talk|speak) (?:straight|properly|clearly)",
                r"(?:speech|words|talking) ~3 (?:is |are |s )?(?:slurred|garbled|jumbled|strange|"
                r"weird|wrong)",
            ),
            nominal=(
                r"slurr\w*",
                r"hard to (?:wake|rouse)",
                r"(?:very|really|so|extremely|super|unusually) (?:drowsy|sleepy and confused)",
                r"(?:fainting|pass out|passing out|blacking out|losing consciousness|unconscious|"
                r"unresponsive)",
                r"confusion",
            ),
        ),
        "rash_no_fade": FlagPatterns(
            personal=(
                r"(?:can|could) still see (?:the |it |them |my |his |her )?~2 (?:through|under) "
                r"(?:the |a )?(?:glass|tumbler)",
                r"(?:failed|fails|failing) (?:the )?(?:glass|tumbler) test",
            ),
            nominal=(
                rf"{RASH} ~6 (?:doesnt|does not|dont|do not|didnt|did not|wont|will not|isnt|"
                r"is not|arent|not|never|cant|cannot|wouldnt|hasnt|havent) ~2 (?:fade|faded|"
                r"fading|go away|gone away|went away|disappear|disappeared|blanch|blanched|"
                r"go white|go pale|turn white|vanish|vanished|change|changed|lighten|budge|go)",
                rf"{RASH} ~6 (?:stays|stayed|remains|remained|still (?:there|visible|showing|"
                r"shows|red|purple|dark)|(?:can|could) still see)",
                r"(?:purple|purplish|dark red|red purple) ~2 (?:rash|spots|blotch\w*|pinpricks?|"
                r"dots|marks)",
                r"(?:rash|spots) (?:that looks?|looking) like (?:bruises|bruising|pinpricks|pin pricks)",
                r"non ?blanching",
                r"nonblanching",
            ),
        ),
        "sepsis_signs": FlagPatterns(
            personal=(
                r"(?:cant|cannot|couldnt) stop (?:shivering|shaking|trembling)",
                r"(?:skin|legs|arms|body|hands|feet|fingers|toes|knees|he|she|hes|shes|im|i) ~3 "
                r"(?:mottled|blotchy and (?:blue|purple)|ashen|grey|gray|blue|bluish|"
                r"(?:very|really|so|deathly|extremely|super) pale|white as a sheet|pale and clammy)",
                r"(?:no|not|havent|hasnt|didnt|havnt|zero) (?:passed |done |had |made |produced )?"
                r"(?:any |a )?(?:urine|pee|wee|weed|peed|urinated|been to the toilet|weeing|peeing) "
                r"~3 (?:all day|today|since|for (?:\d+|hours|a day|the whole|a whole|ages)|"
                r"in (?:\d+|hours|a day|ages|over)|(?:\d+|twelve|eighteen|all) (?:hours|hrs))",
                r"something (?:is |s )?(?:really |very |badly |seriously |terribly |definitely |"
                r"horribly )(?:wrong|not right)",
                r"something (?:is |s )?(?:wrong|not right) with (?:me|him|her)(?![a-z0-9])",
                r"feel(?:s|ing)? like (?:im|i am|i m|hes|shes) (?:going to|gonna|about to) die",
                r"(?:feel|feels|feeling) like (?:im|i am|hes|shes) dying",
                r"(?:never|havent ever) felt this (?:ill|sick|unwell|bad) (?:before|in my life)",
            ),
            nominal=(
                r"(?:shivering|shaking|trembling|shivers|shakes|teeth chattering) ~2 "
                r"(?:uncontrollabl\w*|non ?stop|violently|cant stop|wont stop|cant control|like crazy)",
                r"uncontrollabl\w* (?:shivering|shaking|trembling|shivers|shakes)",
                r"mottl\w*",
                r"rigors",
                r"sepsis",
                r"septic",
                r"blood poisoning",
            ),
        ),
        "major_trauma": FlagPatterns(
            personal=(
                rf"{SUBJ} (?:fell|slipped|tripped|fallen|tumbled|went flying)"
                r"(?! asleep| ill| sick| behind| apart| for(?![a-z0-9])| in love| short| pregnant"
                r"| disc| disk| a dis[ck]| my dis[ck]| back asleep| into a| out with| through the| off the wagon)",
                r"(?:had|took|have had|suffered|taken|bad|nasty|big|hard|heavy) (?:a |an )?"
                r"(?:bad |nasty |big |heavy |hard |serious |awful )?(?:fall|tumble|spill)(?![a-z0-9])",
                r"(?:after|since|from) (?:a |the |my )?(?:bad |nasty |big |hard |heavy )?"
                r"(?:fall|falling)(?![a-z0-9])(?! asleep| ill| sick)",
                r"(?:fell|falling|fall|slipped|tumbled) (?:down|off|from|over|out of) ~2 "
                r"(?:stairs|steps|ladder|roof|horse|bike|bicycle|motorbike|tree|wall|balcony|"
                r"chair|bed|scaffold\w*|trampoline|cliff|height)",
                r"(?:landed|fell|fallen) (?:hard |heavily |straight )?(?:on|onto) (?:my |his |her )"
                r"(?:back|bum|tailbone|butt|coccyx|bottom|spine|neck|head)",
                r"(?:was|were|been|got|had|have had|in|involved in) (?:in )?(?:a |an )?"
                r"(?:bad |serious |major |nasty |big |horrible )?(?:accident|crash|collision|"
                r"pileup|pile up|car crash)(?! in my| in bed| in the bed| in his| in her)",
                r"(?:hit|knocked|run over|struck|clipped|bowled over|mowed down|taken out|"
                r"sideswiped) ~4 by (?:a |an |the )?(?:car|truck|bus|bike|van|vehicle|motorbike|"
                r"ute|cyclist|lorry|taxi)",
                r"knocked (?:off|down|over) (?:my |his |her |the |a )?~1 (?:bike|motorbike|scooter|"
                r"horse|ladder|feet)",
                r"(?:came|thrown|flew) off (?:my |his |her |the |a )?(?:bike|motorbike|horse|scooter)",
                r"(?:crashed|rolled|wrote off|wrecked|totalled|pranged) (?:my |the |our |his |her )"
                r"(?:car|bike|motorbike|ute)",
                r"(?:was|got|been|were) rear ended",
                r"(?:hit|kicked|punched|whacked|struck|smashed|bashed|banged|knocked|tackled) ~2 "
                r"(?:in |on |into )?(?:the |my |his |her )(?:lower |upper |middle of the )?"
                r"(?:back|spine|head)",
                r"(?:was|got|been) (?:assaulted|attacked|beaten up|bashed|mugged|tackled)",
            ),
            nominal=(
                r"(?:car|motorbike|motorcycle|bike|cycling|bicycle|road|traffic|ski|skiing|"
                r"work|workplace|sports?|football|footy|rugby|diving|riding|quad bike|mva|mvc|"
                r"truck|bus) (?:accident|crash|collision|smash|wreck|prang)",
                r"(?:blow|knock|hit|kick|punch|whack|bang|impact) (?:to|on|in) (?:the |my |his |her )"
                r"(?:back|spine|head|neck)",
                r"rear ended",
                r"whiplash",
            ),
        ),
        "self_harm": FlagPatterns(
            personal=(
                r"(?:kill|killing|killed|off|top|topping|end|ending|hang|hanging) (?:my ?self|myself)",
                rf"{SELF_INTENT} ~2 (?:hurt|harm|hurting|harming|cut|cutting|injure|burn) myself",
                r"(?:cutting|harming) (?:my ?self|myself)",
                r"harm (?:my ?self|myself)",
                r"suicid\w*",
                rf"(?:{SELF_INTENT}|thinking (?:of|about)|think about|thought about|thoughts of|"
                r"urge to) (?:to )?(?:just )?"
                r"(?:end|ending) (?:it|it all|everything|my life|things|my own life)(?![a-z0-9])",
                r"end (?:it all|my (?:own )?life)",
                r"(?:take|taking|took) my (?:own )?life",
                r"(?:want|wanna|wanting|wish|wished|wishing|ready|going) (?:to )?(?:just )?"
                r"(?:die|be dead|was dead|were dead|i was dead|i were dead|i wasnt here|"
                r"i wasnt alive|not wake up|not to wake up|to not wake up|disappear forever|"
                r"i could die)",
                r"(?:dont|do not|no longer|dont really|really dont) (?:want|wanna) (?:to )?"
                r"(?:be here|live|be alive|exist|go on|wake up|carry on|keep going)",
                r"better off (?:dead|without me|gone)",
                r"no (?:point|reason) (?:in |to )?(?:living|live|going on|carrying on|being alive|"
                r"being here)",
                r"(?:life|living) (?:is |isnt |is not |s )?(?:not )?worth (?:living|it anymore)",
                r"(?:cant|cannot) (?:go on|do this|keep going|carry on) (?:anymore|any more|any longer)",
                r"(?:took|taken|take|taking|swallowed) (?:an |a )?(?:overdose|all (?:my|the|of my) "
                r"(?:pills|tablets|meds|medication))",
            ),
            nominal=(r"(?:overdos\w*|self ?harm\w*)",),
        ),
    }
)

# Stiff neck is an emergency only with fever, headache or light hurting the eyes (meningitis).
NECK_STIFF = FlagPatterns(
    personal=(
        r"neck ~3 (?:stiff|stiffness|rigid|locked|seized|wont bend|cant bend|doesnt bend)",
        r"(?:cant|cannot|couldnt) (?:bend|move|turn|tilt) (?:my |his |her )?(?:neck|head)",
        r"(?:stiffness|stiff) (?:in|of) (?:my |his |her |the )?neck",
    ),
    nominal=(r"stiff ~2 neck",),
)
NECK_COMPANION = FlagPatterns(nominal=(FEVER,))
NECK_ALONE = FlagPatterns(
    personal=(
        LIGHT_HURTS,
        r"(?:cant|cannot|couldnt) (?:touch|put|get|bring|bend) (?:my |his |her )?chin ~3 chest",
    ),
    nominal=(r"meningitis", r"meningococcal"),
)

# --- context ----------------------------------------------------------------------------------

# Idioms replaced by a neutral word before any flag is looked for.
IDIOMS = (
    r"(?<!head )(?<!head is )(?<!head s )(?<!chest )(?<!chest is )(?<!chest s )"
    r"(?:is |are |s )?(?:killing|murdering|destroying) me",
    r"(?:im |i am |i was )?dying (?:to|for|of) \w+",
    r"(?:die|died|dying|dead) (?:of|from|with) (?:boredom|embarrassment|laughter|laughing|shame|"
    r"curiosity|envy|jealousy|happiness|excitement|thirst|hunger|cuteness)",
    r"(?:bored|scared|sick|tired|worried|frightened|freezing|starving) to death",
    r"(?:kill|killed|killing) (?:for|it|time|two birds)\b(?: \w+)?",
    r"(?:could|would|wanna|want to|i) kill (?:for|someone|him|her|them|my (?:boss|brother|sister|husband|wife|kids?))",
    r"(?:to die for|drop dead|dead tired|dead on my feet|dead beat|over my dead body|deadline\w*|"
    r"dead easy|dead set|dead keen)",
    r"(?:killed|kill|killing|wet|wetting|peed|pissed|weeing|peeing) myself laughing",
    r"(?:laugh\w*|giggl\w*) so (?:hard|much) ~3 (?:couldnt|cant|could not) (?:breathe?|stop)",
    r"breath ?taking\w*|take (?:my|your|his|her) breath away|took my breath away|"
    r"breath of fresh air|hold (?:my|your) breath|holding (?:my|your) breath|bated breath|"
    r"under (?:my|his|her) breath|waste of breath|save your breath|catch my breath after|"
    r"breathe a sigh|breathing down (?:my|his|her) neck|breathing space|a breather|"
    r"bad breath|breath smells|breathe easy|breathe easier",
    r"(?:until|till|til) (?:im|i am|youre|hes|shes|theyre|i was) blue in the face|feeling blue|"
    r"once in a blue moon|out of the blue",
    r"(?:off|get it off) my chest|chest of drawers|treasure chest|chest freezer|chest day|"
    r"chest press|chest workout",
    r"(?:fall|fell|falling) (?:asleep|ill|sick|behind|apart|in love|for it|short)",
    r"(?:fall|autumn) (?:season|semester)|in the fall",
    r"pain in the (?:neck|butt|bum|arse|ass)",
    r"(?:confusing|confuses)",
    r"stiff drink|scared stiff|bored stiff",
    # Benign explanations given for the symptom itself.
    r"(?:sore|achy|aching|bruised|tender) chest (?:muscles )?(?:from|after|due to|because of) "
    r"(?:all )?(?:the |my |this |that )?(?:cough\w*|hacking|sneez\w*)",
    r"chest (?:muscles )?(?:is |are |s |feels )?(?:a bit |bit |slightly |quite )?(?:sore|achy|tender|bruised) "
    r"(?:from|after|due to|because of) (?:all )?(?:the |my |this |that )?(?:cough\w*|hacking|sneez\w*)",
    r"(?:a )?(?:bit|little) (?:of a )?(?:accident prone)",
)

# A negation before a flag (within a few words, same clause) means the flag is absent.
NEGATION_CUES = (
    r"no|not|never|without|none|nor|neither|dont|doesnt|didnt|isnt|arent|wasnt|werent|havent|"
    r"hasnt|hadnt|wont|wouldnt|aint|nothing|denies|denied|deny|free of|ruled out|negative for|"
    r"no longer|absence of|lack of|zero|nope|havnt|dnt|doesn|didn|isn"
)
# Words that look like negations but express doubt; doubt is not absence.
PSEUDO_NEGATIONS = (
    r"not (?:really )?sure|unsure|no idea|not certain|dont know|didnt know|not only|not just|"
    r"no doubt|cant tell|cannot tell|no matter|no wonder|not quite sure|cant say|nothing helps|"
    r"nothing works|dont think so but|not sure if"
)
# Words that end a negation's reach: a new subject or a new proposition.
NEGATION_STOPS = (
    r"because|cause|coz|cos|since|so|which|that|who|when|whenever|after|before|until|as|now|"
    r"then|suddenly|today|tonight|i|im|ive|id|he|hes|she|shes|we|they|theyre|it|its|and now|"
    r"and then|also|plus|yes|yeah|yep|actually|though|instead|why|how|where|what"
)
# After a flag: it has gone, or is answered "no" ("chest pain: none").
RESOLVED_AFTER = (
    r"^(?:that |which )?(?:has |have |had |is |are |was |were |s )?(?:all |completely |totally |"
    r"now |since |finally |fully )?(?:gone|went away|gone away|stopped|resolved|passed|settled|"
    r"cleared|disappeared|eased off)\b|"
    r"^(?:(?!and |but |or )[a-z0-9]+ ){1,4}(?:has|have|is|are|s) (?:now |all |completely |since )?"
    r"(?:gone|gone away|stopped|resolved|passed|settled|cleared|disappeared)\b|"
    r"^(?:no|none|nope|negative|absent|nil)\b|^(?:is |are )?(?:not|no longer) (?:a problem|there|present)"
)
# Hypothetical framing: the flag is a condition, not a report ("if I get chest pain").
HYPOTHETICAL = (
    r"(?<!wonder )(?<!wondering )(?<!sure )(?<!know )(?<!tell )(?<!check )(?<!see )"
    r"(?<!asking )(?<!asked )(?<!worried )(?<!scared )(?<!afraid )\bif\b|whether|unless|"
    r"in case|hypothetical\w*|suppose|supposing|imagine|say someone|someone (?:has|had|with)|"
    r"a person (?:has|with)|people (?:have|with|who)|anyone (?:has|with)|you (?:have|get|had|develop)"
)
# Talk about a symptom name rather than a report of it (applies to nominal patterns only);
# a nearby "I have"/"my" overrides it.
META = (
    r"about|signs? of|symptoms? (?:of|like|such as)|such as|things like|stuff like|means?|"
    r"meaning|define|definition|called|known as|article|red flags?|warning signs?|example|"
    r"for instance|read|reading|heard|hear|learn|learnt|learned|explain|info|information|"
    r"e g|eg|list|listed|mention\w*|talks about|author|writer|doctor said|look out for|"
    r"watch out for|watch for|check for|screen\w*|questions?|quiz|research|study|studies|"
    r"difference between|vs|versus|common|normal to|normal for|cause|causes|caused by|"
    r"can cause|linked|related|associated|symptom of|sign of|worry about|worried about|"
    r"(?:scared|afraid|frightened|terrified|worried) of getting|risk of|chance of|prevent\w*|"
    r"avoid\w*"
)
# Ordinary words that say nothing about present time put a flag in the past.
PAST = (
    r"(?:(?:\d+|a few|few|several|many|two|three|four|five|ten|some|a couple of|couple of) )?"
    r"(?:years?|decades?|yrs?) (?:ago|back)|last year|as a (?:child|kid|teenager|baby)|"
    r"when i was (?:a kid|a child|young|little|younger|a teenager|in (?:school|my))|"
    r"in the past|used to|history of|years back|back in (?:19|20)\d\d|in (?:19|20)\d\d"
)
PERSONAL = (
    r"theres|there is|there are|got|i|im|ive|id|me|my|myself|mine|we|weve|our|us|he|hes|she|shes|his|her|him|they|theyre|"
    r"their|them|mum|mom|mam|dad|husband|wife|partner|son|daughter|baby|child|kid|friend|"
    r"brother|sister|grandma|grandad|grandpa|nan|nanna|hubby|boyfriend|girlfriend|flatmate"
)
# Owning a symptom right next to it ("my chest", "I've got ...") outweighs talk about symptoms.
PERSONAL_NEAR = (
    r"my|his|her|our|their|i have|ive got|i got|ive had|im having|i am having|i feel|i felt|"
    r"im feeling|he has|she has|hes got|shes got|has got|have got|i think i have|i keep|"
    r"im getting|i get|ive been having|been having|having"
)
# "should I", "can I" in a question ask for advice; they do not report a symptom.
INTERROGATIVE_I = (
    r"(?:should|do|can|could|would|will|shall|must|might|may|did|does|is|are) (?:i|we|you|one)\b"
)
QUESTION_STARTS = (
    r"what|whats|when|why|how|hows|is|are|does|do|can|could|should|would|will|which|where|"
    r"who|whos|am|any|anything|isnt|arent|wheres"
)
# Clause breaks inside a sentence: contrast words, and a comma or "and" starting a new subject.
CONTRAST = (
    r"but|however|although|though|except|whereas|yet|otherwise|anyway|anyways|apart from that|"
    r"other than that|aside from that|only thing is|the thing is"
)
NEW_SUBJECT = (
    r"i|im|ive|id|my|he|hes|she|shes|his|her|they|theyre|their|we|our|now|then|also|"
    r"suddenly|today|tonight|this|that|and|plus|since|yesterday|last"
)

# Keywords whose misspellings are corrected (one edit, same first letter, >= 5 letters).
TYPO_KEYWORDS = (
    "numbness numb tingling tingly tingles breathe breath breathing breathless confused confusion "
    "slurring slurred drowsy unconscious fainted fainting bladder bowels bowel incontinent "
    "incontinence weakness paralysed paralyzed chest tightness suicide suicidal myself accident "
    "meningitis mottled shivering uncontrollably uncontrollable stiff fever feverish headache "
    "temperature stairs genitals groin buttocks privates saddle blanch rash glass tumbler "
    "disappear collapsed unresponsive tingle shaking trembling breathing crushing pressure "
    "struggling difficulty trouble couldnt cannot purple purplish testicles vagina pins needles "
    "weak legs gave giving wobbly neck motorbike ladder crash "
).split()
# Short words have too many real neighbours for edit-distance fixing: known misspellings only.
SHORT_TYPOS: MappingProxyType[str, str] = MappingProxyType(
    {
        "stif": "stiff",
        "stiif": "stiff",
        "chst": "chest",
        "cheast": "chest",
        "nek": "neck",
        "neckk": "neck",
        "nekc": "neck",
        "numm": "numb",
        "numbb": "numb",
        "brth": "breath",
        "legz": "legs",
        "lges": "legs",
        "wek": "weak",
        "waek": "weak",
        "weka": "weak",
        "raash": "rash",
        "rsah": "rash",
        "fevr": "fever",
        "fver": "fever",
        "feva": "fever",
        "fevar": "fever",
        "bleu": "blue",
        "blu": "blue",
        "cnat": "cant",
        "carnt": "cant",
        "caint": "cant",
        "lipz": "lips",
    }
)
# Real words one edit from a keyword (checked against an English word list); never "corrected".
TYPO_PROTECTED = frozenset(
    (
        "accidents badder banach bladders blanca blanche blander bleach blench bowed bowell "
        "bowells bowen bowens bower bowers bowie bowies bowl bowled bowler bowls branch brash "
        "breach breaching bread breadth break breaking breast breasting breathed breather "
        "breathes breathings breaths breathy buttock cannon caras carnot cash cashs cheat "
        "cheats chef chefs chens chess chests chews clash class collapse collapses confuse "
        "confuser confuses confusing confusions confuted contused contusion coras crabs crags "
        "crams craps crashing crashs crass craws crays crest cross cruising crush crusher "
        "crusting difficult difficultys disappears dreams dropsy drowns drowse fainter feinted "
        "feinting feverfew fevers fewer fiver freer fresh galas gases gashs gasps gassy gauss "
        "gavel gaze genital genitalss gibing gilas given gives glace glads glasses glasss "
        "glassy gloss going grain grass grind grins groan groins grown headaches incontinences "
        "ladders laddie lander larder lauder leader leak lever loader logs meningitiss "
        "motorbiked motorbikes mottle mottles myselfs neckl needle needled needless never "
        "number numbers numberss numbnesss numbs paralyse paralyses pegs pressed presser "
        "pressured pressures primates private privater privatest purled purpler purples purpose "
        "rush sacking sadden sadder saddled saddles sever shading shaming shaping sharing "
        "sharking shaving silvering sitars skiff slaking slivering slurped slurping slurry "
        "snaking sniff soaking spurred spurring stacis staff stains stair staking stares starks "
        "starrs stars starts stiffen stiffer stiffs still stirs straggling strain strains "
        "struggle stuff suicides swaddle tangle tangles tangling temperatures testicle thinly "
        "tightnesss tinge tinged tingeing tinges tinging tingled tinglings tinkle tinkles "
        "tinkling trash trebling troubled troubles tumble tumbled tumblers tumbles twinge "
        "twinges twinging unconsciouss vaginae vaginal vaginas weaken weaker weakly weaknesss "
        "weave weekend weekly wobble wreak"
    ).split()
)

DESCRIPTIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "saddle_numbness": "numbness or tingling around the genitals, buttocks or inner thighs",
        "bladder_bowel": "new trouble peeing, wetting yourself or losing control of your bowels",
        "leg_weakness": "new weakness in one or both legs, or trouble walking",
        "breathing": "struggling to breathe, fast breathing, or lips or face turning blue",
        "chest_pain": "chest pain, pressure or tightness",
        "confusion": "new confusion, slurred speech, being very drowsy or hard to wake, fainting",
        "rash_no_fade": "a rash that does not fade when a glass is pressed on it",
        "stiff_neck": "a stiff neck with fever or headache, or light hurting the eyes",
        "sepsis_signs": (
            "uncontrollable shivering, mottled, blue or very pale skin, no urine all day, "
            "or feeling something is badly wrong"
        ),
        "major_trauma": "pain that started after a fall, accident or blow",
        "self_harm": "thoughts of ending your life or harming yourself",
    }
)

# --- severe pain (offers the red-flag check; never an alarm) -----------------------------------

SEVERE_STRONG = (
    r"agon\w*|excruciat\w*|unbearabl\w*|intolerabl\w*|crippl\w*|debilitating|"
    r"unbearable|insufferable|torture|torturous"
)
SEVERE_PAIN = FlagPatterns(
    personal=(
        r"(?:pain|it|back|backache|ache|this|its|s) ~3 (?:is|feels|was|s|getting|gotten|become|"
        r"becoming|has become|so|too) ~2 (?:severe|extreme|horrendous|horrific|unreal|insane|"
        r"intense|brutal|savage|excruciating|unbearable|intolerable)",
        r"(?:pain|back|it|this|back pain) ~3 (?:killing|murdering|destroying|crippling) me",
        r"(?:cant|cannot|couldnt|can barely|can hardly|could barely|could hardly|unable to|"
        r"not able to) (?:even )?(?:move|get out of bed|get up|get off the (?:couch|floor|bed)|"
        r"sleep (?:for|because of|with) (?:the )?pain|stand up straight|sit still)",
        r"(?:10|ten|11|eleven|9|nine|12|twelve|100) (?:out of|outta|over|on) (?:10|ten)",
        r"(?:screaming|crying|sobbing|howling|in tears) ~3 (?:pain|hurts|agony)",
        r"(?:worst|most painful) ~2 (?:pain|back pain|ache|backache|ive|i have|thing)",
        r"(?:pain|it) ~2 (?:off the (?:charts|scale)|through the roof)",
        r"nothing (?:touches|helps with|is helping with|takes the edge off) (?:the )?(?:pain|it)",
    ),
    nominal=(
        rf"(?:severe|extreme|excruciating|unbearable|intolerable|crippling|debilitating|"
        rf"agonising|agonizing|horrendous|horrific|intense) ~2 (?:pain|back|ache|backache|"
        rf"cramps?|spasms?|pains)|{SEVERE_STRONG}",
    ),
)
