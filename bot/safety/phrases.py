# ruff: noqa: E501, SIM905
# (Regex data reads best unwrapped; word lists read best as one string split on spaces.)
"""Pattern data for spotting red flags and severe pain in free text.

Kept apart from the matching code so a reviewer can read what is recognised without reading
the engine. Patterns run on normalised text: lower-case ASCII words separated by single spaces,
apostrophes dropped ("can't" -> "cant", "I'm" -> "im"), clauses joined by " | ". A gap written
" ~N " (or "(?:my )?~N ") stands for up to N words that are not negations, so "chest ~3 pain"
matches "chest is in pain" but not "chest doesnt pain"; " ~N| " may also cross one clause break
("pressed a glass on it | its still there"). Each flag has `personal` patterns, which describe an
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
    r"could barely|could hardly|barely|hardly|havent been able to|hasnt been able to|"
    r"hadnt been able to|not been able to|been unable to|wasnt able to|isnt able to|"
    r"cant seem to|fighting to)"
)
TROUBLE = r"(?:trouble|difficulty|difficulties|problems?|issues?|struggling|struggle)"
BE = r"(?:is|are|was|were|feels?|felt|feeling|looks?|looked|looking|seems?|has|have|had|s|got|get|getting|gone|went|going|turned|turning|keeps?)"
INTENSE = r"(?:so |very |really |totally |completely |extremely |super |quite |a bit |bit |kinda |kind of |pretty )"
AREA = (
    r"(?:saddle|groin|genital\w*|genitels|privates|private (?:parts?|area|bits|region)|down there|"
    r"bum|butt|buttocks?|bum cheeks|butt cheeks|backside|arse|ass|anus|anal area|back passage|perine\w*|peri ?anal|"
    r"taint|crotch|inner thighs?|inner legs?|(?:thighs?|legs?) (?:on the )?inside|"
    r"insides? of (?:my |his |her |the |both )?(?:thighs?|upper legs?|legs)|"
    r"between (?:(?:my|the|his|her|their|both) )?legs|vagina|vulva|"
    r"penis|testicles|balls|nether regions|undercarriage|down below|lady bits|man bits|"
    r"bottom (?:area|region|cheeks)|(?:my|his|her) (?:whole )?bottom(?! of))"
)
# How a numb part is described after "feels"/"has gone": "numb", "gone to sleep", "like a local".
NUMB_STATE = (
    r"(?:numb\w*|tingl\w*|dead|like rubber|no feeling|pins and needles|asleep|fuzzy|buzzing|"
    r"prickl\w*|(?:gone|went|going|fallen|fell) to sleep|no sensation|"
    r"(?:anaesthetic|anesthetic|anaesthetised|anesthetized|novocaine|a local)|"
    r"belongs? to (?:someone|somebody|some1) else|(?:isnt|is not|not) (?:mine|his|hers|there|part of me))"
)
NUMB = (
    r"(?:numb\w*|tingl\w*|pins and needles|no feeling|lost (?:all )?(?:the )?(?:feeling|sensation)|"
    r"loss of (?:feeling|sensation)|reduced (?:feeling|sensation)|cant feel (?:anything|a thing)|"
    r"dead|like rubber|no sensation)"
)
PEE = (
    r"(?:pee|wee|urinate|piss|pass urine|pass water|go to the toilet|go to the loo|go to the bathroom|"
    r"empty my bladder|do a wee|have a wee|do a pee|have a pee|peeing|weeing|urinating|poo|poop|"
    r"have a poo|do a poo)"
)
RASH = r"(?:rash|rashes|spots|blotch\w*|marks|dots|bruis\w*|pin ?pricks?|specks|freckles|patches)"
# Anything clear pressed on a rash for the glass test.
GLASS = (
    r"(?:(?:glass|tumbler|cup|jar|clear plastic)(?! of| cupboard| door| ceiling| half)|"
    r"(?:glass|tumbler|cup|jar) test)"
)
NOT_FADE = (
    r"(?:doesnt|does not|dont|do not|didnt|did not|wont|will not|isnt|is not|arent|not|never|"
    r"cant|cannot|wouldnt|hasnt|havent) ~2 (?:fade|faded|fading|go away|gone away|went away|"
    r"disappear|disappeared|blanch|blanched|go white|go pale|turn white|vanish|vanished|change|"
    r"changed|lighten|budge|go|went|gone|move|moved)"
)
STILL_THERE = (
    r"(?:stays?|stayed|remains?|remained|(?:is |are |were |was |s )?still (?:there|visible|showing|"
    r"shows|red|purple|dark|the same|see)|(?:can|could) (?:still )?see (?:it|them|the \w+)? ?"
    r"(?:straight |right |clearly |easily )?through)"
)
SIDE = r"(?:left |right |both |one |lower |upper |bad |good )?"
LEGS = r"(?:legs?|knees?|feet|foot)"
PERSON = r"(?:he|she|they|mum|mom|mam|dad|husband|wife|partner|son|daughter|baby|child|kid|hubby|him|her)"
# Oneself in any person: "hurt myself", "hurt himself", "hurting themselves".
REFL = r"(?:my ?self|him ?self|her ?self|them ?selves|them ?self)"
POSS = r"(?:my|his|her|their|your)"
SUBJ = (
    r"(?:i|he|she|we|they|mum|mom|mother|dad|father|husband|wife|son|daughter|partner|hubby|"
    r"boyfriend|girlfriend|bf|gf|grandma|grandmother|grandad|granddad|grandpa|grandfather|granny|"
    r"gran|nan|nanna|nana|pop|brother|sister|friend|mate|uncle|aunt|auntie|neighbour|neighbor|"
    r"just|then|and|had|have|has|recently|accidentally)"
)
SELF_INTENT = (
    r"(?:want|wants|wanted|wanna|wanting|going|gonna|thinking|thought|thoughts|think|thinks|urge|"
    r"urges|tempted|plan|plans|planning|planned|feel like|feels like|feeling like|might|could|will|"
    r"ready|decided|considering|threaten\w*|talking about|talks about|talked about|trying|tried|"
    r"try|means|meant|mean)"
)
CHEST = (
    r"(?:chest(?! infection| cold| cough| congest| xray| x ray| drain| physio| infect| muscle"
    r"| freezer| of drawers| hair)|heart area|breastbone|breast bone|sternum)"
)
CHEST_HURTS = (
    r"(?:pain\w*|hurts?|hurting|ache\w*|aching|tight\w*|pressure|heavy|heaviness|squeez\w*|"
    r"crush\w*|sore|burn\w*|discomfort|pressing|stabbing|agony|pounding|constrict\w*|killing me)"
)
CHEST_PAIN_WORDS = (
    r"(?:pain|pains|ache|aching|tightness|tight|pressure|heaviness|squeezing|crushing|"
    r"discomfort|stabbing|burning|weight|band|elephant|belt|vice|vise|tightening|tightened|"
    r"squeezed|crushed|pressing|strap|rope)"
)
CHEST_IN = (
    r"(?:in|on|across|around|round|through|over|to|inside|behind|under|underneath|beneath|at) "
    r"(?:the )?(?:middle |centre |center |left side "
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
    r"(?:the )?(?:light|lights|bright)|(?:the )?(?:light|lights|sunlight|daylight|brightness) "
    r"(?:is |are |s )?(?:unbearable|agony|agonising|agonizing|painful|hurting|hurts|killing me))"
)

# --- per flag ---------------------------------------------------------------------------------

FLAGS: MappingProxyType[str, FlagPatterns] = MappingProxyType(
    {
        "saddle_numbness": FlagPatterns(
            personal=(
                rf"{AREA} ~3 {BE} ~5 {NUMB_STATE}",
                # Several parts named together: "my bum and the inside of my thighs are numb".
                rf"{AREA} (?:and|or|plus) ~8 {BE} ~5 {NUMB_STATE}",
                r"(?:numb\w*|tingl\w*|no feeling|no sensation|pins and needles) ~4 (?:where|when|area|bit|"
                r"part|patch|spot) ~4 (?:sit|sits|sitting|sat|seat|saddle)",
                rf"(?:someone elses|somebody elses|not my|not even my) {AREA}",
                rf"(?:toilet|loo|wipe|wiping|wiped) ~6| (?:no feeling|no sensation|{CANT} feel (?:a thing|anything))",
                rf"{AREA} ~4 (?:belongs? to (?:someone|somebody) else|(?:isnt|is not|not) (?:mine|his|hers|part of me))",
                rf"{AREA} ~6| {CANT} feel (?:it|them|anything|a thing)",
                # Not feeling what one sits on or wipes with: "can't feel the toilet seat".
                rf"{CANT} feel (?:the |my |his |her |a )?(?:toilet seat|toilet|loo seat|seat|chair|saddle|"
                r"bike seat|cushion|toilet paper|loo roll|tissue|paper|wipe)(?! belt)",
                r"(?:like|as if|as though) (?:im |i am |hes |shes |he is |she is |i was |youre )?"
                r"(?:not )?sitting on (?:nothing|air|anything)",
                rf"(?:sit|sits|sitting|sat) (?:down )?(?:on )?~3 {CANT} feel (?:it|anything|a thing|the)",
                rf"{CANT} feel (?:anything |myself |himself |herself |it |a thing )?(?:properly |at all )?"
                rf"(?:in |around |round |on )?(?:my |his |her )?{AREA}",
                rf"(?:wipe|wiping|wiped) ~4 {CANT} feel",
                # Not feeling a touch there: "can't really feel the towel between my legs".
                rf"{CANT} (?:really |properly |even )?feel ~3 (?:on |in |around |against )?{AREA}",
                r"(?:cant|cannot|couldnt|dont|didnt) feel (?:it )?(?:when|if) i (?:wipe|wiped)",
                r"(?:sitting|sit) (?:on|feels like) (?:a )?(?:numb|dead) ~2 (?:saddle|cushion)",
            ),
            nominal=(
                rf"{NUMB} ~5 (?:in |around |round |on |of )?(?:my |the |his |her )?{AREA}",
                r"saddle (?:numbness|anaesthesia|anesthesia|area numbness)",
                # Clinical wording: "perineal numbness", "reduced perianal sensation".
                r"(?:perine\w*|peri ?anal|anal|genital|groin|buttock|saddle|sacral) ~1 (?:numb\w*|"
                r"an(?:a)?esthesia|par(?:a)?esthesia|tingl\w*|sensory (?:loss|change)|(?:loss of |altered |"
                r"reduced |decreased |diminished |no )?(?:sensation|feeling))",
                r"(?:loss of|lost|reduced|altered|decreased|diminished|no|absent) (?:\w+ )?(?:perine\w*|"
                r"peri ?anal|anal|genital|saddle|sacral) (?:sensation|feeling|sensory)",
                r"cauda equina",
            ),
        ),
        "bladder_bowel": FlagPatterns(
            personal=(
                rf"{CANT} (?:to )?(?:actually )?{PEE}",
                r"(?:wet|wets|wetting|peed|pees|peeing|pissed|pissing|weed|wees|weeing|soiled|soils|"
                r"soiling|pooed|poos|pooing|pooped|poops|pooping|pood|shat|messed|"
                r"messing|wee d|leaked|leaking|dirtied|dirtying) "
                rf"(?:{REFL}|{POSS} (?:pants|undies|knickers|trousers|jeans|underwear|nappy|bed|"
                r"pyjamas|pjs|shorts)|the bed)",
                r"(?:lost|losing|lose|loses|no|zero|cant|cannot) control (?:of|over) (?:my |his |her |their )?"
                r"(?:bladder|bowels?|bowel movements|pee|wee|weeing|peeing|toilet|poo|poos)",
                r"(?:cant|cannot|couldnt|unable to) (?:hold|control|keep) (?:it in |in )?(?:my |his |her |their )?"
                r"(?:pee|wee|bladder|bowels?|poo|urine|wees|poos)",
                r"(?:only|just) (?:a few |a couple of |some |a )?(?:drops?|drips?|dribbles?|trickle) ~2 "
                r"(?:come|comes|came|coming) out",
                r"(?:cant|cannot|couldnt|dont|didnt|doesnt) (?:feel|tell|know|sense) (?:when|if|whether) "
                r"(?:i|he|she|they) (?:need|needs|have|has|want|wants) (?:to )?(?:pee|wee|go|poo|the loo|"
                r"the toilet|a wee|a poo|the bathroom|a pee)",
                r"(?:i|he|she|they|just|keep|keeps|im|hes|shes) (?:leak|leaking|leaks|dribble|dribbling|"
                r"dribbles)(?! (?:tears|oil|money|secrets|info))",
                r"(?:accident|accidents) in (?:my|his|her|their|the) (?:pants|undies|underwear|bed|trousers|nappy)",
                r"(?:had|having|has|have|keeps having|keep having) (?:an |a |two |three |a few |several |some |"
                r"more |another )?accidents? ~4 (?:didnt|doesnt|dont|without|not) (?:even )?(?:notice|noticing|"
                r"know|knowing|realise|realize|realising|realizing|feel|feeling)",
                # Not noticing: "didn't even know I'd pooed until I smelt it".
                r"(?:didnt|dont|did not|do not|couldnt|never|doesnt|without) (?:even )?(?:know|feel|felt|"
                r"notice|noticing|realise|realize|realising|realizing|sense|tell|feeling) ~4 (?:pooed|peed|"
                r"wet|weed|soiled|pooped|had an accident|leaked|leaking|wee d|gone to the toilet|wetting|"
                r"peeing|weeing|pooing|soiling)",
                # Bladder full but nothing comes: "bladder feels full but I just can't go".
                rf"(?:bladder|toilet|loo|(?:wee|pee)(?! bit| while| one| ones| lad| lass| boy| girl)|"
                rf"bathroom|dunny|urge to (?:go|pee|wee)) ~6| (?:{CANT} (?:actually |even )?(?:go|do it|"
                r"get it out|get anything out|start)|(?:it |nothing |wee |pee |urine )?(?:just )?"
                r"(?:wont|will not|doesnt|does not|isnt|is not|wouldnt) (?:come|coming|start|flow|happen))"
                r"(?! to| out| on| back| home| anywhere| there| in| for| with| outside| far| up| down| through)",
                r"(?:pee|wee|urine|piss) ~3 (?:only )?(?:dribbl\w*|trickl\w*|a trickle|drips|a few drops)",
                r"(?:pee|wee|urine|poo|stool|poop|number two|number one) ~2 (?:comes|came|come|leaks|leaked|coming) ~3 "
                r"(?:out )?(?:without|by itself|on its own)",
                r"(?:bladder|bowels?) (?:just )?(?:wont|doesnt|didnt|dont|isnt|arent|not|has stopped|"
                r"have stopped|stopped) (?:empty|emptying|work|working)",
                r"(?:cant|cannot|couldnt|unable to) (?:fully )?(?:empty|void) (?:my |his |her )?(?:bladder|bowels?)",
                # "need to go but nothing comes out" (the "but" ends a clause: "| ").
                r"(?:to go|to pee|to wee|pee|wee|toilet|loo|bathroom|dunny|urinate) ~3| "
                r"nothing (?:at all )?(?:will |wants to |would |is |seems to )?(?:come|comes|came|coming) out",
                r"(?:bladder|bowels?) (?:just )?(?:went|gone|emptied|opened|let go) ~2 "
                r"(?:without|on (?:its|their) own|by (?:itself|themselves)|no warning)",
            ),
            nominal=(
                # "trying to pee" alone is not retention ("trying to wee more often"); the concept
                # layer's `retention` needs the "nothing comes out" part too.
                rf"(?:{TROUBLE}|hard time|straining|strain|strains) (?:with |to )?(?:actually )?{PEE}",
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
                rf"{LEGS} ~2 (?:gave way|gave out|giving way|giving out|give way|give out|given way|"
                r"given out|gives way|gives out|went out|going out|gone out|"
                r"wont do (?:what|as|anything)|dont do what|wont listen|arent listening|not listening|"
                r"wont obey|dont feel like mine|arent mine|dont belong to me|belong to someone else|"
                r"wont go|wont budge|dont work|doesnt work|isnt working|has stopped working|"
                r"just stopped|feel disconnected|disconnected|heavy and weak|weak and heavy|"
                r"keep giving|buckl\w*|collaps\w*|went from under me|went out from under me|"
                r"gone from under me|went from underneath me|just went|wont hold me|cant hold me|"
                r"wouldnt hold me|wont hold (?:him|her)|cant hold (?:him|her)|wont support me|"
                r"cant support me|wont carry me|like jelly|turned to jelly|wont work|arent working|"
                r"not working|stopped working|wont move|dragging|floppy|useless|paralys\w*|"
                r"paralyz\w*|folded|folding)",
                rf"{LEGS} ~2 {BE} ~1 {INTENSE}?(?:weak|weaker|wobbly and weak|like jelly|useless)",
                # The strongest words may sit further from the limb: "leg at all, it just gives".
                rf"{LEGS} ~5 (?:weak|weaker|buckl\w*|collaps\w*|(?:gave|giving|give|gives|given) "
                r"(?:way|out)|gives(?! me| him| her| up| birth| a | it)|flop\w*|paralys\w*|paralyz\w*|useless|"
                r"like jelly|folding|folded|dragg\w*|crumpl\w*|(?:wont|cant|wouldnt|doesnt|dont) (?:move|work|hold|"
                r"support|carry|respond|lift|bend|take (?:my|his|her) weight))",
                r"(?:walking|walks|walked|walk|staggering|moving) (?:around |about )?like (?:hes |shes |im |"
                r"i am |he is |she is |theyre |a |i was |he was |she was )?(?:drunk|a drunk|pissed|legless|"
                r"plastered|wasted|a newborn|bambi|a baby deer|a zombie)",
                rf"{CANT} (?:walk|stand(?! the| it| him| her| this| that| bright| light| noise| being| people)|stand up|move (?:my |his |her )?{SIDE}legs?|"
                rf"(?:lift|raise|point|pull up|flex|wiggle|bend|move) (?:up )?(?:my |his |her |their |the )?"
                rf"{SIDE}(?:legs?|foot|feet|toes|ankle|knee)|"
                r"feel (?:my |his |her )?legs|bear weight|put weight on|straighten my legs?)",
                r"(?:my|his|her|their|the) (?:left |right )?(?:foot|feet) ~2 (?:drops|dropping|flops|flopping|"
                r"slaps|slapping|slapped|flaps|flapping|drags|dragging|wont lift|doesnt lift)",
                # Legs too heavy to use: "legs feel too heavy to walk", "like dragging sandbags".
                rf"{LEGS} ~3 (?:too|so) heavy (?:to|that i cant|that he cant|that she cant) "
                r"(?:walk|lift|move|stand|get up|climb|carry)",
                r"(?:can barely|can only|cant|could barely|could only|just) (?:\w+ )?shuffl\w*",
                # Holding on to things to stay up: "holding on to the walls to get to the toilet".
                r"(?:hold\w*|grip\w*|grabb\w*|cling\w*|lean\w*) (?:on )?(?:to |onto |on )?(?:the )?"
                r"(?:walls?|furniture|banisters?|railings?|rails?|door ?frames?|counters?|kitchen bench|"
                r"chairs?|table) ~3 (?:to|just to|so i can|so he can|so she can) (?:get|walk|move|stay|"
                r"stand|make it|stop (?:myself|himself|herself) falling|go)",
                rf"{LEGS} ~2 (?:arent|isnt|not|wont|wouldnt|are not) (?:holding|hold|carrying|supporting) "
                r"(?:me|him|her|them|my weight|his weight|her weight)",
                r"(?:tripping|trip|trips|tripped) over (?:my|his|her|their) (?:own )?(?:feet|foot|toes)",
                # Unsteady walking: "stumbling about", "keeps staggering", "cant keep her balance".
                r"(?:stumbling|staggering|stumbles|staggers|wobbling|wobbles|swaying|lurching)"
                r"(?! (?:across|upon|on (?:this|your|the|an|a|some)|onto|over (?:this|your|the|an|a) "
                r"(?:article|page|site|post|video)|through (?:work|the day|my day|life)))",
                r"(?:stumbled|staggered) (?:about|around|all over|to|into|across the (?:room|floor|kitchen|hall))",
                r"(?:cant|cannot|couldnt|unable to|struggling to) (?:keep|hold) (?:my |his |her |their )?(?:balance|footing)",
                r"(?:keep|keeps|kept|keeping) (?:losing (?:my |his |her |their )?balance|falling over|"
                r"falling down|falling|toppling over|tipping over)",
                r"(?:losing|loses) (?:my |his |her |their )?balance",
                r"(?:unsteady|wobbly|shaky) on (?:my|his|her|their) (?:feet|legs)",
                rf"no (?:strength|power|feeling|control) (?:at all )?(?:in|left in|in either|in both) "
                rf"(?:my |his |her |their |the )?{SIDE}{LEGS}",
                rf"(?:put|take|bear) (?:any |much |my |his |her |the )?weight (?:on|through|onto) "
                rf"(?:my |his |her |their |the )?{SIDE}{LEGS} ~3 (?:crumpl\w*|buckl\w*|collaps\w*|gives|gave|folds)",
                rf"{LEGS} (?:wont|dont|will not|do not|cant|cannot|wouldnt|arent) (?:move|moving|work|"
                r"hold|support|carry|do|push|lift|take|bend|straighten|respond|cooperate|co operate|"
                r"play ball|behave)",
                rf"{LEGS} ~5| (?:{CANT} (?:lift|move|raise|feel|bend|straighten|control) (?:them|it|either|"
                r"both)|(?:have to |had to )?(?:drag|dragging|drags|haul|hauling) (?:it|them))",
                rf"{LEGS} ~3 (?:is |are |s |feels? |like )?(?:a )?(?:dead weight|deadweight|dead weights)",
                r"(?:dropping|collapsing|crumpling|crumpled|dropped|collapsed|sank|sinking|slumped|"
                r"slumping) (?:down )?(?:to|onto|on) (?:the )?(?:floor|ground)",
                rf"{CANT} (?:get|walk|climb|make it|go) (?:up|down) (?:the )?(?:stairs|steps)",
                r"(?:feet|foot|toes) ~3 (?:catching|catch|catches|scuffing|scuffs|scraping|scrapes) "
                r"(?:on|along)",
                rf"{CANT} (?:pick|lift) (?:my |his |her |their )?(?:feet|foot|legs?|toes|them) up",
                rf"{CANT} (?:pick|lift) up (?:my|his|her|their) (?:feet|foot|legs?)",
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
                r"catch (?:my |his |her )?breath|get (?:a |my |his |her |enough )?(?:proper |full |deep |"
                r"decent |good |big )?(?:breath|air|oxygen)|"
                r"get air in|take a (?:deep )?breath)",
                r"(?:gasping|gulping|fighting|struggling) (?:for )?(?:air|breath)",
                r"(?:lips|face|mouth|tongue|fingertips) ~2 (?:is |are |went |gone |going |turned |turning |"
                r"look |looks |looking |s )?(?:a |a bit |bit |slightly |kinda |really |very )?"
                r"(?:blue|bluish|blueish|bluey|purple|purplish|purply|grey|gray|greyish|dusky|(?:a )?(?:funny|odd|strange|weird|"
                r"horrible|bad) colou?r)",
                r"(?:breathing|breath|breaths) ~2 (?:is |are |s )?(?:so |very |really |super )?"
                r"(?:fast|rapid|quick|shallow|laboured|labored|raspy|rasping|gasping|struggling|"
                r"difficult|hard|weird|noisy)",
                r"(?:breathing|panting) (?:really |very |so |super )?(?:fast|quickly|rapidly|hard)",
                r"(?:im|hes|shes|i am|he is|she is|feel like im|feels like|theyre|they are) "
                r"(?:choking|suffocating|drowning)(?! in (?!(?:my |his |her |their )?"
                r"(?:own )?(?:fluid|mucus|phlegm|water|blood)))",
                r"(?:every|each) breath ~3 (?:struggle|effort|fight|hard|battle|work|like)",
                r"out of breath (?:just )?(?:sitting|lying|at rest|doing nothing|talking|even)",
                r"(?:cant|cannot|cant even|couldnt|unable to) (?:finish|say|get out|speak in|talk in) "
                r"(?:a |whole |full )?(?:sentence|full sentence|sentences|whole sentence)",
                r"(?:can|could) only (?:say|get out|speak|manage|talk in|get) ~4 words?",
                rf"{CANT} (?:get|say|find) (?:my |his |her |their |the |any )?words out",
                r"(?:breathing|breathe|breath) (?:in |out )?through a (?:wet |thick |damp )?(?:straw|towel|"
                r"pillow|cloth|sponge|blanket|flannel)",
                r"(?:run|running|runs|ran) out of breath ~2 (?:when|while|if|trying|just|from|after) ~3 "
                r"(?:talk|talking|speak|speaking|move|moving|stand|standing|lying|sitting|rolling over)",
                r"(?:talk|talking|speak|speaking|say anything) ~4 (?:run|running|runs|ran|get|getting) out of breath",
                # Out of breath at rest: "panting like she ran a marathon but she's lying in bed".
                r"(?:panting|puffing|puffed|huffing|gasping|wheezing|out of breath|breathless|"
                r"breathing (?:hard|heavily|heavy|fast|like)|short of breath|heaving) ~6| (?:lying|laying|"
                r"sitting|resting|at rest|in bed|doing nothing|rolling over|not moving|sat down|sat on|"
                r"sat still|asleep|sleeping|talking|on the (?:sofa|couch|settee))",
                r"(?:rattl\w*|gurgl\w*|grunt\w*|noisy|crackly) ~4 (?:breath\w*|breathe\w*)",
                r"chest (?:is |s )?(?:heaving|going up and down (?:fast|really fast|quickly))",
                # Working hard to breathe (retractions, flaring nostrils, grunting).
                r"(?:ribs|chest|tummy|belly|stomach|neck|throat|skin) ~4 (?:sucking|sucks|sucked|"
                r"pulling|pulls|pulled|drawing|draws|caving|caves|going) in (?:when|with|as|each|every)",
                r"(?:nostrils|nose) ~2 flar\w*",
                r"(?:quick|fast|rapid|short|shallow|tiny|little|gasping|noisy|laboured|labored|"
                r"rattly|rattling|struggling) (?:quick |fast |rapid |short |shallow |little )?breaths",
                r"grunting ~2 (?:with|when|as|each|every) ~2 breath\w*",
                # Clinical wording: "resp rate 32", "sats dropping", "using accessory muscles".
                r"(?:resp|respiratory|respiration|breathing) rate ~3 (?:[3-9]\d|high|up|fast|raised|rising|"
                r"climbing|through the roof)",
                r"(?:sats|o2 sat|saturations?|spo2|o2|oxygen) (?:sats |levels? |saturations? )?~2 (?:dropping|"
                r"dropped|drop|falling|fallen|low|down|tanking|(?:[5-8]\d|9[0-2])(?: percent)?)(?! percent fat)",
                r"(?:using|uses|use) (?:her |his |their |my |the )?accessory muscles",
                r"(?:increased|high) work of breathing|(?:intercostal|subcostal|sternal) recession\w*|"
                r"tracheal tug\w*",
            ),
            nominal=(
                rf"{TROUBLE} (?:with |to )?(?:my |his |her )?(?:breathe?|breathing)",
                r"tachypn\w*|dyspn\w*|hypox\w*|cyanos\w*|cyanotic|sob at rest|accessory muscle use",
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
                rf"{CHEST_PAIN_WORDS} ~5 {CHEST_IN}(?:my |his |her |their ){CHEST}",
                r"(?:my|his|her) heart ~3 (?:being )?(?:crush\w*|squeez\w*|squash\w*|clamp\w*|"
                r"gripp\w*|in a vi[cs]e|stabb\w*)",
                r"(?:someone|somebody|something|an elephant|a weight|a brick|a truck|a car|a person) ~2 "
                r"(?:sitting|standing|sat|stood|pressing|pushing|lying|crushing|squashing|squeezing) "
                r"(?:on|down on) (?:my |his |her |their )?(?:chest|me|him|her)",
                rf"{CHEST} ~4 like (?:someone|somebody|something|an elephant|a weight|a brick|a truck|"
                r"a car|a person|a horse|a cow) ~2 (?:sitting|standing|sat|stood|pressing|pushing|lying|"
                r"crushing|squashing|squeezing|sits|stands|parked)",
                r"(?:clutching|clutches|clutched|holding|holds|grabbing|grabbed|gripping|grips) "
                r"(?:at )?(?:my|his|her|their) (?:chest|heart)",
                r"(?:pain|ache|aching|tightness|pressure) ~4 (?:down|into|to|up|through|along) "
                r"(?:my |his |her |their )?(?:left arm|jaw|left shoulder and arm)",
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
                r"(?:dont|doesnt|didnt|cant|couldnt|does not|do not) (?:seem to |even |really )?"
                r"(?:know|recogni[sz]e|remember|tell) (?:where (?:i am|he is|she is|they are|we are|"
                r"hes|shes|im|theyre)|who (?:i am|he is|she is|we are|they are|i|we|he|she)|me|us|"
                r"any of us|anyone|anybody|(?:his|her|their|my) (?:own )?family|faces|people|"
                r"(?:that )?(?:hes|shes|he is|she is|theyre|im) (?:at )?(?:home|in hospital)|"
                r"(?:his|her|their|my) (?:own )?(?:name|wife|husband|kids|children|son|daughter|mum|dad)|"
                r"what (?:day|year|month|time|week) it is|whats going on|what is going on|"
                r"what s going on|whats happening|what is happening)",
                r"(?:asking|asks|asked|saying|says|repeating) (?:the )?(?:same (?:question|thing|things|"
                r"questions)) ~3 (?:over and over|again and again|repeatedly|over again|on repeat|"
                r"every (?:few|couple of) (?:minutes|mins))",
                rf"repeating {REFL}",
                r"(?:thinks|thought|believes|convinced) (?:that )?(?:its|it is|it was|were|we are|hes|shes|"
                r"he is|she is) (?:(?:19|20)\d\d|still (?:at|in)|back (?:at|in)|a child|a kid|at work)",
                r"(?:isnt|is not|wasnt|hasnt been|not) (?:acting |being |behaving )?(?:like )?(?:himself|herself|themselves|themself)",
                r"(?:acting|behaving|talking) (?:really |very |so |all )?(?:strange|strangely|weird|weirdly|"
                r"odd|oddly|bizarre|bizarrely|out of character|drunk|not like (?:himself|herself))",
                r"(?:hallucinat\w*|seeing things that arent there)",
                r"(?:talking|speaking|mumbling|muttering|saying|babbling|rambling) (?:complete |utter |total |"
                r"absolute |pure |just |such |a lot of |a load of )?"
                r"(?:rubbish|nonsense|gibberish|jibberish|garbage|random (?:stuff|things|words)|"
                r"things that dont make sense|stuff that doesnt make sense)",
                r"(?:out cold|went limp|gone limp|go limp|goes limp|unrousable|unrouseable)",
                r"(?:he|she|hes|shes|he is|she is|baby|toddler|child|kid|son|daughter|theyre|they are) ~3 "
                r"(?:floppy|limp|unresponsive|not responding|wont respond|isnt responding|not reacting)",
                r"(?:talking|talks|talked|speaking|chatting|waving) to (?:people|someone|somebody|things|"
                r"my dead \w+|his dead \w+|her dead \w+) (?:who|that)? ?(?:arent|isnt|werent|wasnt|are not|is not) (?:there|here)",
                r"(?:seeing|hearing|sees|hears) (?:people|things|voices|someone|stuff|bugs|spiders) "
                r"(?:who|that)? ?(?:arent|isnt|werent|wasnt|are not|is not) (?:there|here|real)",
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
                # The glass test named, then its result, possibly in the next clause.
                rf"{GLASS} ~6| (?:{STILL_THERE}|{NOT_FADE})",
            ),
            nominal=(
                rf"{RASH} ~6 (?:doesnt|does not|dont|do not|didnt|did not|wont|will not|isnt|"
                r"is not|arent|not|never|cant|cannot|wouldnt|hasnt|havent) ~2 (?:fade|faded|"
                r"fading|go away|gone away|went away|disappear|disappeared|blanch|blanched|"
                r"go white|go pale|turn white|vanish|vanished|change|changed|lighten|budge|go)",
                rf"{RASH} ~6 (?:stays|stayed|remains|remained|still (?:there|visible|showing|"
                r"shows|red|purple|dark)|(?:can|could) still see)",
                rf"(?:purple|purplish|dark red|red purple|plum|maroon|violet|blackish|purply) ~2 {RASH}",
                r"pin ?prick (?:rash|spots|dots|marks|bleeds|specks)",
                r"(?:pin ?pricks?|spots|dots|specks|flecks|freckles|pinpoints) of blood",
                r"(?:petechia\w*|purpura\w*|purpuric)",
                r"(?:rash|spots) (?:that looks?|looking) like (?:bruises|bruising|pinpricks|pin pricks)",
                r"non ?blanching",
                rf"{RASH} ~9 (?:doesnt|does not|dont|do not|didnt|did not|wont|will not|isnt|not) "
                r"(?:blanch\w*|fade|go away|disappear|go white|go pale|lighten) (?:when|if|after|under) "
                r"(?:i |we |you |he |she )?(?:press\w*|push\w*|roll\w*|put|squash\w*)",
                r"nonblanching",
            ),
        ),
        "sepsis_signs": FlagPatterns(
            personal=(
                r"(?:cant|cannot|couldnt) stop (?:shivering|shaking|trembling)",
                rf"(?:skin|legs|arms|body|hands|feet|fingers|toes|knees|he|she|hes|shes|im|i|{PERSON}|"
                r"grandma|grandad|gran|nan|grandpa|brother|sister|toddler) ~5 "
                r"(?:mottled|blotchy (?:and )?(?:blue|purple|grey)|ashen|grey|gray|blue|bluish|"
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
                r"(?:nappy|nappies|diaper|diapers) ~4 (?:dry|been dry|no wet|not wet|not been wet)",
            ),
            nominal=(
                r"(?:shivering|shaking|trembling|shivers|shakes|teeth chattering) ~2 "
                r"(?:uncontrollabl\w*|non ?stop|violently|cant stop|wont stop|cant control|like crazy)",
                r"uncontrollabl\w* (?:shivering|shaking|trembling|shivers|shakes)",
                r"(?:purple|purplish|blue|bluish|dusky|grey|gray|red purple) ~2 (?:lacy|lace|lace like|"
                r"net|net like|netlike|web|web like|marbled|mottled|blotchy|patchy) (?:pattern|patterns|patches|"
                r"look|skin|rash|marks|markings)",
                r"(?:lacy|lace like|net like|netlike|web like|marbled|blotchy) (?:\w+ )?(?:pattern|patterns) "
                r"~2 (?:purple|purplish|blue|bluish|dusky|grey|gray)",
                r"(?:shivering|shaking|trembling) (?:very|really|so|super|extremely) (?:hard|badly|violently)",
                r"(?:shivering|shaking|trembling) (?:so much|so badly|so hard|so violently|that much|"
                r"like mad|like a leaf|from head to toe)",
                r"(?:cold and clammy|clammy and (?:cold|grey|gray|pale|blue|mottled)|(?:grey|gray|pale|"
                r"blue|ashen) and clammy)",
                r"mottl\w*",
                r"rigors",
                r"sepsis",
                r"septic",
                r"blood poisoning",
            ),
        ),
        "major_trauma": FlagPatterns(
            personal=(
                rf"(?:(?<=\| )|^|{SUBJ} )(?:fell|slipped|tripped|fallen|tumbled|went flying|came a cropper|"
                r"stacked it|face ?planted|took a dive)"
                r"(?! asleep| ill| sick| behind| apart| for(?![a-z0-9])| in love| short| pregnant"
                r"| disc| disk| a dis[ck]| my dis[ck]| back asleep| into a| out with| through the| off the wagon"
                r"| over (?:my|his|her|their) (?:words|tongue)| up on| behind| silent| quiet| flat(?! on)"
                r"| into (?:a |the )?(?:habit|routine|trap|conversation))",
                r"(?:had|took|have had|suffered|taken|bad|nasty|big|hard|heavy) (?:a |an )?"
                r"(?:bad |nasty |big |heavy |hard |serious |awful )?(?:fall|tumble|spill)(?![a-z0-9])",
                r"(?:after|since|from) (?:a |the |my )?(?:bad |nasty |big |hard |heavy )?"
                r"(?:fall|falling)(?![a-z0-9])(?! asleep| ill| sick)",
                r"(?:fell|falling|fall|slipped|tumbled|toppled|came|come|flew|thrown) (?:down|off|from|out of) ~2 "
                r"(?:stairs|steps|staircase|ladder|roof|horse|bike|bicycle|motorbike|motorcycle|scooter|"
                r"skateboard|tree|wall|balcony|chair|stool|bed|scaffold\w*|trampoline|cliff|height|"
                r"deck|verandah|veranda|porch|ledge|bunk|truck|ute|trailer|step ladder|stepladder)",
                r"(?:landed|land|lands|landing|fell|fallen|came down|come down|slammed|thumped|crashed|dropped) "
                r"(?:hard |heavily |straight |flat |awkwardly |right |badly )*(?:on|onto|down on) "
                r"(?:my |me |his |her |their )?(?:lower |upper )?"
                r"(?:back|bum|tailbone|butt|coccyx|bottom|spine|neck|head|backside|arse|hip)",
                r"(?:was|were|been|got|had|have had|in|involved in) (?:in )?(?:a |an )?"
                r"(?:bad |serious |major |nasty |big |horrible )?(?:accident|crash|collision|"
                r"pileup|pile up|car crash|smash|prang|wreck|rta|rollover|roll over)"
                r"(?! in my| in bed| in the bed| in his| in her| with (?:the |my |a |some |his |her )?"
                r"(?:coffee|tea|drink|paint|milk|water|juice|wine|cup|mug|glass|kettle|iron|knife|scissors|"
                r"bowl|plate|dishes|laundry|washing|food|dinner|cooking|toilet|hair dye|dye|printer))",
                r"(?:hit|knocked|run over|struck|clipped|bowled over|mowed down|taken out|"
                r"sideswiped|rammed|ran over|ran into|hit by|cleaned up) ~4 by (?:a |an |the )?(?:car|truck|bus|bike|van|vehicle|motorbike|"
                r"ute|cyclist|lorry|taxi|train|tram|horse|cow|scooter)",
                r"knocked (?:off|down|over) (?:my |his |her |the |a )?~1 (?:bike|motorbike|scooter|"
                r"horse|ladder|feet)",
                r"(?:came|thrown|flew) off (?:my |his |her |the |a )?(?:bike|motorbike|horse|scooter)",
                r"(?:went|gone|flew|came|thrown|flipped|go|going) over (?:the |my |his |her )?handle ?bars",
                r"(?:crashed|rolled|wrote off|wrecked|totalled|pranged) (?:my |the |our |his |her )"
                r"(?:car|bike|motorbike|ute)",
                r"(?:was|got|been|were) rear ended",
                r"(?:hit|kicked|punched|whacked|struck|smashed|bashed|banged|knocked|tackled|slammed|"
                r"thumped|landed) ~2 "
                r"(?:in |on |into |against )?(?:the |my |his |her |their )(?:lower |upper |middle of the )?"
                r"(?:back|spine|head|tailbone|coccyx)",
                r"(?:was|got|been) (?:assaulted|attacked|beaten up|bashed|mugged|tackled)",
                # Irish English perfect: "I'm after slipping on the ice".
                r"(?:im|i am|hes|he is|shes|she is|were|theyre) (?:just )?after (?:slipping|falling|tripping|"
                r"coming off|being (?:hit|knocked|thrown)|getting (?:hit|knocked|thrown)|crashing|"
                r"landing|taking a (?:fall|tumble))",
                # A blow from someone: "a bloke shoved me into a wall", "pushed her down the stairs".
                r"(?:shoved|pushed|punched|hit|kicked|threw|thrown|slammed|knocked|smashed|headbutted|"
                r"body slammed) (?:me|him|her|us|them|my \w+) ~2 (?:into|against|down|onto|off|over|through|"
                r"to) (?:the |a |an |some )?(?:wall|stairs|steps|floor|ground|door|table|car|pavement|"
                r"concrete|footpath|bar|window|fence|railings?|post|pole)",
                r"(?:after|since|from) (?:getting|being) (?:hit|punched|kicked|shoved|pushed|assaulted|"
                r"attacked|beaten up|bashed|knocked (?:down|over|off)|tackled|run over|thrown)",
                r"(?:car|van|truck|ute|bus|bike|cyclist|driver|taxi|motorbike|lorry|scooter|tractor) ~2 "
                r"(?:reversed|drove|backed|crashed|ploughed|plowed|slammed|smashed|hit|knocked|clipped|"
                r"ran|ran over|rolled) (?:into |over |onto )?(?:me|him|her|us)(?![a-z0-9])",
                # A blow in sport: "took a knee to the back at footy", "copped a boot in the back".
                r"(?:took|take|taken|taking|got|get|copped|cop|had|caught) (?:a |an |the )?(?:\w+ )?"
                r"(?:knee|boot|kick|hit|elbow|knock|whack|blow|shoulder|tackle|bump|bang|smack|head clash|"
                r"shot|cleat|stud|spear tackle|stick|bat|ball) (?:straight |right |square |hard )?"
                r"(?:to|in|into|on) (?:the |my |his |her |their )?(?:lower |upper |middle of the |small of "
                r"(?:my|his|her|the) )?(?:back|spine|neck|head|ribs|tailbone|kidneys?)",
                rf"(?:(?<=\| )|^|{SUBJ} )(?:got|was|been|get) (?:\w+ )?(?:smashed|flattened|hammered|"
                r"cleaned up|taken out|speared|crunched|creamed|bowled over|knocked over|knocked down|"
                r"tackled|hit|landed on|sandwiched|crushed|rolled|thrown|dumped|slammed) (?:hard |badly |"
                r"heavily )?(?:in|by|during|at|from) (?:a |an |the )?(?:\w+ )?(?:tackle|scrum|ruck|"
                r"collision|maul|pile ?up|head clash|car|truck|bus|bike|player|guy|bloke|horse|wave)",
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
                rf"(?:kill|kills|killing|killed|off|offing|top|tops|topping|end|ending|hang|hanging|"
                rf"hanged|drown|overdose|starve|starving|poison|poisoning) {REFL}",
                rf"{SELF_INTENT} ~2 (?:hurt|harm|hurting|harming|cut|cutting|injure|injuring|burn|"
                rf"burning|punish) {REFL}",
                rf"(?:cutting|harming|burning|scratching|punishing|self harming) {REFL}",
                rf"harm {REFL}",
                rf"(?:been|keeps?|kept|is|was|started|again|still) (?:hurting|cutting|harming|burning) "
                rf"{REFL}",
                r"suicid\w*",
                # Text speak: "kms" (kill myself), "unalive", "sewerslide".
                r"(?:want|wanna|wanting|gonna|going|finna|imma|ima|might|could|should|just|bout|about|ready|"
                r"tempted|thinking|to) (?:to |just |go |lowkey |fr )?kms(?! (?:away|from|to|per|an hour|a day|each|"
                r"down|up|north|south|east|west|out))",
                r"(?:i|im|ima|imma|me) ~3 kys(?![a-z0-9])",
                r"unaliv\w*",
                r"sewer ?slid\w*",
                r"how many ~4 (?:pills|tablets|meds|panadol|paracetamol|sleeping pills|sleeping tablets) ~3 "
                r"(?:it would take|it d take|itd take|would it take|would take|would kill|to kill|would do it|"
                r"it takes|to die|to not wake up)",
                rf"(?:{SELF_INTENT}|thinking (?:of|about)|think about|thought about|thoughts of|"
                r"urge to) (?:to )?(?:just )?"
                rf"(?:end|ending) (?:it|it all|everything|{POSS} (?:own )?li(?:fe|ves)|things)(?![a-z0-9])",
                rf"end (?:it all|{POSS} (?:own )?li(?:fe|ves))",
                rf"(?:take|taking|took|takes) {POSS} (?:own )?li(?:fe|ves)",
                r"(?:want|wants|wanted|wanna|wanting|wish|wishes|wished|wishing|ready|going|gonna) "
                r"(?:to )?(?:just )?"
                r"(?:die|be dead|was dead|were dead|i was dead|i were dead|i wasnt here|"
                r"i wasnt alive|not wake up|not to wake up|to not wake up|disappear forever|"
                r"i could die|he was dead|she was dead|he were dead|she were dead|not be here|not exist|"
                r"not be alive|stop existing|go to sleep forever|sleep forever|never wake up)",
                r"(?:dont|do not|doesnt|does not|no longer|dont really|really dont|doesnt really) "
                r"(?:want|wanna|wants) (?:to )?"
                r"(?:be here|live|be alive|exist|go on|wake up|carry on|keep going)",
                r"better off (?:dead|without me|gone|not (?:existing|alive|here|around|living|being here|"
                r"being alive|being born)|never (?:born|existing|having been born))",
                r"(?:better|happier|easier|fine|ok|okay|good) (?:off )?(?:if|when|once) (?:i|he|she|they) "
                r"(?:was|were|wasnt|werent|am|is|im|hes|shes|are|had) (?:gone|dead|not here|not around|"
                r"no longer here|never born|out of the way)",
                r"(?:on purpose|deliberately|intentionally) (?:to )?(?:hurt|harm|cut|burn|kill|overdose)",
                r"(?:pills|tablets|meds|medication|painkillers|sleeping pills|panadol|paracetamol|"
                r"codeine|oxy\w*) (?:(?:all |ive |i have |i |been |that i |that ive )\w* )?(?:saved|"
                r"stockpiled|stashed|hoarded|hidden away|put aside|set aside|squirrelled away|"
                r"collected) (?:up|away)?",
                r"(?:saving|saved|stockpiling|stockpiled|hoarding|collecting|stashing) (?:up )?(?:my |some |all |"
                r"the )?(?:pills|tablets|meds|medication|painkillers|sleeping pills)",
                r"(?:want|wish|need) (?:it|this|everything|it all|this all) (?:all )?to (?:stop|end) "
                r"(?:for good|forever|permanently|for ever)",
                r"(?:slit|slitting|slash|slashing|cut|cutting|open) (?:my|his|her|their) (?:wrists?|throat|veins)",
                r"(?:no one|nobody|noone|no body) (?:would|will|d|is going to|gonna) (?:miss|care about|notice|"
                r"care) (?:me|him|her|them|if i)",
                rf"{SELF_INTENT} ~3 (?:jump|jumping|step|stepping|walk|walking|throw {REFL}|throwing "
                rf"{REFL}|drive|driving|crash|crashing|lie|lying) (?:off|in front of|into|under|onto|on) "
                r"~2 (?:bridge|building|cliff|roof|balcony|train|car|bus|traffic|truck|tree|wall|river|"
                r"sea|tracks|railway|motorway|highway|freeway|road)",
                r"and (?:never|not|just not|not ever) wake up(?! (?:till|until|before|early|at|in))",
                r"(?:too many|extra|all (?:my|his|her|their|the)|a whole (?:packet|bottle|box) of|a bunch of|"
                r"handfuls? of) ~2 (?:pills|tablets|meds|medication|panadol|paracetamol|sleeping pills) "
                r"(?:on purpose|deliberately|intentionally|to (?:die|end it|hurt|harm|not wake))",
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

# Clinical shorthand and understatement per flag, merged into `FLAGS` by the detector: the
# words of triage notes ("retrosternal", "RTC", "rigors", "SI") and the plain-word reports that
# describe a sign without naming it ("my leg drags behind", "lean forward to get air").
_ONSET = r"(?:onset|since|started|starting|began|x ?\d|\d+ ?(?:h|hr|hrs|hours?|min|mins|minutes?|days?) ago|today|this (?:am|pm|morning))"
CLINICAL: MappingProxyType[str, FlagPatterns] = MappingProxyType(
    {
        "chest_pain": FlagPatterns(
            personal=(
                r"(?:pain|tightness|pressure|heaviness) ~4 radiat\w* ~3 (?:to |into |down |through )?(?:the )?(?:left |l |right )?(?:arm|jaw|neck|back|shoulder|interscapular|between)",
            ),
            nominal=(
                r"(?:retro ?sternal|substernal|central chest|crushing chest|crushing) ~3 (?:pain|tightness|pressure|heaviness|discomfort)",
            ),
        ),
        "breathing": FlagPatterns(
            personal=(
                r"(?:sob|dyspnoea|dyspnea|dyspnoeic|dyspneic|breathless\w*|short of breath) (?:at|on|while at) rest",
                r"(?:tripod\w*|speaking in (?:short )?(?:phrases|words)|(?:rr|resp rate|respiratory rate) (?:of )?(?:[3-9]\d))",
                r"(?:lean|leaning|leans|hunch|hunched|sit up and lean|bent) ~4 (?:forward|forwards|over) ~6| (?:to |just to |so i can |so he can |so she can )?(?:get|catch|breathe|get any|get enough) ~2 (?:air|breath|breathe)",
            ),
        ),
        "major_trauma": FlagPatterns(
            personal=(
                rf"(?:rtc|mva|mvc|rta|mba|mvi|road traffic (?:collision|accident)|motor vehicle (?:accident|collision)|fall from height|fell from height) ~6 {_ONSET}",
                rf"{_ONSET} ~3 (?:rtc|mva|mvc|rta|fall from height)",
                r"(?:involved in|was in|were in|had) (?:an |a )?(?:rtc|mva|mvc|rta|mvi)",
                r"fall from height",
            ),
        ),
        "sepsis_signs": FlagPatterns(
            personal=(
                r"mottl\w* (?:peripheries|extremities|over)|(?:skin|knees|legs|peripheries|extremities) ~2 mottl\w*|mottled (?:and|with) ~3 (?:rigors|febrile|fever)",
                r"skin ~3 (?:blotchy|mottled|marbled|patchy) ~3 (?:purpl\w*|blue\w*|grey|gray|dusky)",
            ),
            nominal=(
                r"mottl\w* (?:skin|knees|legs)",
                r"(?:rigors|rigoring|having rigors)",
                r"(?:anuric|anuria|oliguric|oliguria)",
                r"hypotensive|(?:bp|blood pressure) (?:of |is |s )?(?:[5-8]\d) ?(?:over )?\d",
                r"urosepsis|septic",
            ),
        ),
        "confusion": FlagPatterns(
            personal=(
                r"gcs ~3 (?:drop\w*|fall\w*|fell|down|reduced|decreas\w*|\d+ to \d+|[3-9](?!\d)|1[0-4])",
                r"(?:new|acute|acutely) (?:onset )?(?:confusion|confused|delirium|delirious)",
                r"words (?:keep |keeps |are |is )?(?:coming|come) out (?:all )?(?:wrong|jumbled|muddled|mixed up|funny)(?! when (?:im|i am) tired)",
                r"(?:keep|keeps|kept) (?:losing|forgetting) (?:what|where) (?:im|i am|i was|hes|shes) (?:typing|saying|writing|doing)",
            ),
        ),
        "rash_no_fade": FlagPatterns(
            personal=(
                rf"{RASH} ~4 (?:like|look like|looking like|as if) ~2 bruis\w* ~12| (?:dont|doesnt|wont|not|never) ~3 (?:go|turn|fade|get) ~2 (?:pale|white|lighter|away)",
                rf"{RASH} ~10| (?:doesnt|dont|wont|do not|does not|didnt|not) ~3 (?:make|get|turn) them (?:go |turn )?(?:pale|white|fade|lighter|disappear)",
                r"(?:press\w*|push\w*) ~4 (?:doesnt|dont|wont|didnt) (?:make|get) (?:them|it) (?:go |turn )?(?:pale|white|fade|lighter|disappear)",
            ),
            nominal=(
                r"non ?blanch\w*|petechia\w*|purpur\w*",
                rf"{RASH} (?:that |which )?(?:stay|stays|remain|remains|dont go|dont fade) ~2 (?:when|if|after) ~4 (?:press|push|roll)\w*",
            ),
        ),
        "saddle_numbness": FlagPatterns(
            personal=(
                rf"(?:wipe|wiping|wiped) ~4 {CANT} (?:really |properly |quite )?feel",
                r"(?:like|as if) (?:its|it is|theyre) not my (?:own )?(?:skin|body|bum|bottom)",
                r"(?:new|reduced|altered|loss of) saddle (?:anaesthesia|anesthesia|numbness|paraesthesia)",
            ),
        ),
        "bladder_bowel": FlagPatterns(
            personal=(
                r"(?:just )?(?:comes|came|coming) out before (?:i|he|she|they) (?:get|gets|got|reach|reaches) "
                r"(?:there|to (?:the )?(?:toilet|loo|bathroom))",
                rf"{CANT} (?:be able to )?hold (?:it|on|my wee|my pee) (?:when|till|until|long enough) ~4 (?:toilet|loo|bathroom|wee|pee|go)",
                r"(?:incontinent of|retaining) (?:urine|faeces|feces|stool)",
            ),
            nominal=(
                r"cauda equina",
                r"(?:urinary|urine|faecal|fecal|bowel|bladder) (?:retention|incontinence)",
            ),
        ),
        "leg_weakness": FlagPatterns(
            personal=(
                r"(?:bilateral|both) (?:lower )?(?:leg|legs|lower limb|limb) weakness|(?:lower limb|leg) weakness ~3 (?:bilateral|both)",
                r"(?:new |left |right |l |r |bilateral )+foot drop|foot drop ~3 (?:since|onset|today|new)",
                r"(?:hip flexion|power|dorsiflexion|plantarflexion|knee extension) (?:is )?[0-4] (?:out of |over )?5",
                r"(?:leg|legs|foot|feet) ~3 (?:drag|drags|dragging|dragged) ~2 behind|(?:foot|feet) ~2 (?:slap|slaps|slapping) ~1 down",
            ),
        ),
        "self_harm": FlagPatterns(
            personal=(
                r"(?:active|with) (?:si|suicidal ideation)(?![a-z])",
                r"(?:took|taken|take|had) (?:an |a )?(?:overdose|od)(?![a-z])",
                r"(?:make|makes|making|let) ~2 (?:it all|everything|it|all of it|this) (?:just )?(?:stop|end|go away) (?:for good|forever|permanently|once and for all)",
                r"(?:want|wants|wanted|need) ~2 (?:it all|everything|all of it) (?:just )?to (?:stop|end) (?:for good|forever|permanently)",
                rf"(?<!finger )(?:cut|cutting|cuts|hurt|hurting|burned|burnt|burning) {REFL} (?:again|last night|today|tonight|yesterday|this morning|cos|because|when)",
            ),
            nominal=(
                r"(?:active |passive |ongoing |new )?(?:si|suicidal ideation|dsh|deliberate self ?harm|self ?harm\w*) ~3 (?:with|and|plan|intent|today|since|yesterday|last night)",
            ),
        ),
    }
)

# Stiff neck is an emergency only with fever, headache or light hurting the eyes (meningitis).
NECK_STIFF = FlagPatterns(
    personal=(
        r"neck ~3 (?:stiff|stiffness|rigid|locked|seized|wont bend|cant bend|doesnt bend|wont move|"
        r"cant move|doesnt move|wont turn|cant turn|like a (?:rod|board|plank|brick|pole|poker|rock)|"
        r"rock hard|hard as (?:a )?(?:rock|board|brick)|solid|like concrete|like wood|like iron|"
        r"seized up|locked up|set in concrete|made of (?:wood|stone|concrete|iron|steel|metal|plank))",
        r"(?:cant|cannot|couldnt|wont|unable to|struggling to|hard to) (?:bend|move|turn|tilt|lower|"
        r"drop|nod) (?:my |his |her |their )?(?:neck|head)",
        r"(?:cant|cannot|couldnt|unable to) (?:look|bend) (?:down|forward|forwards)",
        r"(?:bend|move|tilt|push|pull|bring|lift|lower) (?:his|her|my|their) (?:head|chin|neck) "
        r"(?:forward|forwards|down|towards|to (?:his|her|my|their) chest)",
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
# Clinical meningitis signs that need no companion: "meningism", "Kernig positive".
NECK_CLINICAL = FlagPatterns(
    personal=(
        r"meningism\w*|kernig\w* ~2 (?:positive|sign|\+)|brudzinski\w* ~2 (?:positive|sign)",
        r"neck (?:stiffness|rigidity) (?:and|with|plus) ~3 (?:photophobia|fever|febrile|headache)",
    ),
)

# --- context ----------------------------------------------------------------------------------

# Idioms replaced by a neutral word before any flag is looked for.
IDIOMS = (
    # Normal findings negate: "chest fine", "saddle sensation intact", "power 5/5", "neuro NAD".
    r"(?:breathing|breath|chest|legs?|bladder|bowels?|neck|head|skin|rash|saddle|sphincters?|"
    r"sensation|power|tone|reflexes|gait|neuro|resp|respiratory|cardio|cvs|abdo|exam|examination|"
    r"gcs|function|urinary function|bowel function|sats|pee|wee|waterworks|perineum|peri ?anal) "
    r"(?:\w+ )?(?:is |are |s |was |feels |seem |seems )?(?:totally |completely |all |perfectly )?"
    r"(?:fine|ok|okay|normal|intact|nad|unremarkable|clear|grossly normal|5 5|5 out of 5|15|"
    r"blanching|nil|good|alright)(?![a-z0-9])(?: (?:throughout|bilaterally|in both legs|and normal))?",
    r"(?:\w+ )?(?:chest pain|sob|breathlessness|confusion|rash|trauma|fall|numbness|weakness) nil",
    # Excitement and laughter, not illness: "breathless with excitement", "passed out laughing".
    r"(?:breathless|couldnt breathe|could barely breathe|could hardly breathe|cant breathe) ~3 "
    r"(?:with|from|for) (?:excitement|joy|anticipation|happiness|laughter|laughing)",
    r"(?:excited|thrilled|nervous|happy|giddy) ~4 (?:could|can) ~1 (?:barely|hardly|not|nt)? ?breathe?",
    r"(?:pass\w*|blacked|faint\w*|nearly died|wet \w+) (?:out )?(?:from |with )?(?:laugh\w*|giggl\w*)",
    # Pattern and material, not skin: "mottled old wooden floor".
    r"mottled (?:\w+ ){0,2}(?:floor\w*|wood\w*|tiles?|paint\w*|glass|marble|stone|fabric|leaves|"
    r"finish|pattern|effect|glaze|bananas?|carpet|table|wall)",
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
    # A part gone numb from sitting or lying on it is pressure, not nerves.
    r"(?:numb|dead|asleep) (?:bum|butt|backside|bottom|arse|legs?) (?:from|after) (?:sitting|lying|"
    r"laying|being sat)|(?:bum|butt|backside|bottom|arse|legs?) ~3 (?:numb|dead|asleep) (?:from|"
    r"after) (?:sitting|lying|laying|being sat)",
    # A body reacting to a shock or a sight: "my legs went to jelly when I saw the bill".
    r"(?:legs|knees) ~2 (?:jelly|weak|wobbly) (?:when|as soon as|the moment|the minute) "
    r"(?:i|he|she|we|they) (?:saw|heard|looked at|read|found out)",
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
    # Shock at a price or a sight: "nearly fainted when I saw the bill", "giving me a heart attack".
    r"(?:give|gives|giving|gave|given|gimme) (?:me|him|her|us|them|you|everyone) (?:a )?(?:heart attack|"
    r"heart failure|coronary|stroke|heart palpitations)",
    r"(?:nearly|almost|practically|just about|about to|could have|couldve|gonna|going to) (?:\w+ )?"
    r"(?:faint\w*|pass\w* out|die|died|dropped dead|drop dead|keeled over|fell over|collapsed|"
    r"(?:had|have|having) (?:a )?(?:heart attack|fit|stroke|coronary|kittens)) ~2 (?:when|as soon as|"
    r"the moment|once|after|at|over|seeing|reading|looking at|from) ~3 (?:saw|see|seeing|heard|"
    r"hearing|read|reading|looked|looking|found out|got|opened|checked|price|prices|bill|bills|cost|"
    r"invoice|quote|receipt|total|news|score|fee|fees)",
    r"(?:enough|set) to (?:give|make) (?:anyone|anybody|someone|somebody|people|a person|a saint|you|"
    r"me|everyone|us) (?:a )?(?:heart attack|coronary|stroke|faint|pass out|keel over)",
    r"(?:bill|bills|price|prices|cost|costs|invoice|quote|receipt|total|news|rent|mortgage|fee|fees|"
    r"repayments?|tax|taxes|fine|ticket|quote|estimate|balance|statement) ~4 (?:made|make|makes|making|"
    r"send|sent|sends|nearly sent|almost sent) (?:me|him|her|us|them|everyone|anyone) ~1 "
    r"(?:faint\w*|pass out|black out|collapse|keel over|drop dead|die|into cardiac arrest|"
    r"have (?:a )?(?:heart attack|stroke|coronary|fit|kittens))",
    r"(?:nearly|almost|practically) (?:wet|peed|pissed|weed|pooed|soiled) (?:my ?self|him ?self|her ?self)",
    r"(?:legs?|knees|thighs) ~3 (?:jelly|wobbly|weak|dead|shaky|like jelly) (?:after|from) (?:\w+ ){0,2}"
    r"(?:gym|leg day|run|running|workout|squats|lunges|training|exercise|hike|hiking|marathon|cycling|"
    r"spin class|bike ride|the stairs|football|footy|netball|dancing|pilates|yoga)",
    # Laughing so hard one "can't breathe".
    r"(?:cant|cannot|couldnt|could not) (?:even )?breathe? ~2 (?:when|while|whenever|from|with|cos|"
    r"because|every time) ~3 (?:laugh\w*|giggl\w*|lol|lmao|crack\w* up)",
    r"(?:laugh\w*|giggl\w*|crack\w* up|lol|lmao) ~3 (?:cant|cannot|couldnt|could not) (?:even )?breathe?",
    # Mood, not colour: "feeling a bit blue about being stuck inside".
    r"(?:feel|feels|feeling|felt) (?:a )?(?:bit |little |tad |kinda |kind of |so |really |very |"
    r"pretty |quite |rather )*blue(?! (?:around|round|in the|lips|skin|colou?r|tinge|and (?:cold|"
    r"clammy|grey|gray|pale|mottled|blotchy)))",
    # A bad day called a crash: "this week has been a total car crash at work".
    r"(?:week|day|meeting|job|work|shift|life|year|month|project|presentation|date|exam|season|"
    r"game|match|interview|morning|weekend|semester|term|schedule|relationship|team) ~4 (?:a |an )?"
    r"(?:total |complete |absolute |utter |real |bit of a |such a |slow motion )?(?:car crash|"
    r"train ?wreck|car wreck|trainwreck|dumpster fire)",
    # Nerves before an event: "shaking like a leaf before my presentation".
    r"(?:shak\w*|trembl\w*|quak\w*|nervous\w*) ~4 (?:before|about|ahead of|during) (?:my |the |a |his |"
    r"her |our |their )?(?:presentation|exam|interview|test|meeting|date|speech|talk|performance|"
    r"audition|game|match|recital|wedding|flight|first day)",
    # Caught oneself: "tripped over the cat but caught himself".
    r"(?:tripped|slipped|stumbled)(?= ~4 (?:\| |and )(?:i |he |she |they |we )?(?:caught|steadied|"
    r"saved|managed to (?:catch|steady|stop)) (?:my|him|her|them|our) ?sel\w*)",
    # Colour from food or drink: "lips went blue from the ice block".
    r"(?:lips|tongue|mouth|teeth) ~3 (?:blue|purple|green|black) (?:from|after|because of) (?:the |an? |"
    r"my |that |eating |drinking )?(?:\w+ )?(?:ice ?block|icy ?pole|slushie|slurpee|lolly|lollies|"
    r"blueberr\w*|food colou?ring|cordial|popsicle|ice ?cream|wine|candy|sweets|grapes?|ink|pen|"
    r"marker|paint|dye|drink|juice|cake|icing)",
    # Benign explanations given for the symptom itself.
    r"(?:sore|achy|aching|bruised|tender) chest (?:muscles )?(?:from|after|due to|because of) "
    r"(?:all )?(?:the |my |this |that )?(?:cough\w*|hacking|sneez\w*)",
    r"chest (?:muscles )?(?:is |are |s |feels )?(?:a bit |bit |slightly |quite )?(?:sore|achy|tender|bruised) "
    r"(?:from|after|due to|because of) (?:all )?(?:the |my |this |that )?(?:cough\w*|hacking|sneez\w*)",
    r"(?:a )?(?:bit|little) (?:of a )?(?:accident prone)",
    # Comparisons, not events: "felt like I got hit by a truck", "like a bus ran over me".
    r"(?:like|as if|as though) ~4 (?:hit|run over|ran over|struck|mowed down|flattened|knocked over|"
    r"knocked down|trampled|steamrolled) ~4 (?:truck|bus|train|tram|car|steamroller|tractor|semi|"
    r"road train|freight train|"
    r"ton of bricks|tonne of bricks|herd of \w+|bulldozer|lorry|mack truck)",
    r"(?:like|as if|as though) ~3 (?:truck|bus|train|tram|car|steamroller|tractor|"
    r"bulldozer|lorry|mack truck|ton of bricks|tonne of bricks) ~3 (?:hit|ran over|run over|ran|"
    r"drove|went|rolled|has hit|has run|reversed) ~1 (?:over |into )?(?:me|him|her|them|us)",
    r"(?:hit|struck) (?:me |him |her )?like (?:a |an )?(?:truck|bus|train|ton of bricks|tonne of bricks)",
    r"drowning in (?!(?:my |his |her |their )?(?:own )?(?:fluid|mucus|phlegm|water|blood))[a-z]+",
    # Breathless after hard exercise is expected.
    r"(?:breathless|out of breath|puffed|puffing|panting|short of breath|huffing and puffing) "
    r"(?:after|from|when|while) (?:i was |im |i went |going |a )?(?:climbing|running|a run|jogging|the gym|"
    r"exercise|exercising|working out|a workout|sport|footy|training|hiking|a hike|cycling|"
    r"a bike ride|swimming|dancing|sex|sprinting|climbing the hill)",
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
    r"nothing works|dont think so but|not sure if|makes? no sense|made no sense"
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
    r"^(?:no|none|nope|negative|absent|nil)\b(?! matter| wonder| doubt| idea| joke| kidding| way| sooner)|^(?:is |are )?(?:not|no longer) (?:a problem|there|present)"
)
# Hypothetical framing: the flag is a condition, not a report ("if I get chest pain").
HYPOTHETICAL = (
    r"(?<!wonder )(?<!wondering )(?<!sure )(?<!know )(?<!tell )(?<!check )(?<!see )"
    r"(?<!asking )(?<!asked )(?<!worried )(?<!scared )(?<!afraid )(?<!sorry )(?<!apologies )\bif\b|whether|unless|"
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
    r"always (?:have|has|do|does|been like that)(?![a-z0-9])|"
    r"(?:(?:\d+|a few|few|several|many|two|three|four|five|ten|some|a couple of|couple of) )?"
    r"(?:years?|decades?|yrs?) (?:ago|back)|last year|as a (?:child|kid|teenager|baby)|"
    r"when i was (?:a kid|a child|young|little|younger|a teenager|in (?:school|my))|"
    r"in the past|used to|history of|years back|back in (?:19|20)\d\d|in (?:19|20)\d\d|"
    r"(?:back in|last|in) (?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?! (?:\d|this|last|next))|"
    r"(?:in|during) (?:my|his|her|their) (?:teens|twenties|thirties|forties|fifties|sixties|"
    r"(?:\d0)s|youth|childhood|school days|uni days)|as a (?:teen|student|young \w+)|"
    r"when (?:i|he|she) was (?:\d+|pregnant|at (?:school|uni))|ages ago|(?:a )?long time ago|"
    r"long ago|last (?:summer|winter|spring|autumn)|(?<!since )last month|"
    r"(?:a|one|two|three|four|five|six|a few|few|a couple of|couple of|several|some|\d+) months? ago|"
    r"(?:back )?(?:in|at) (?:high school|primary school|school|uni|college|year \d+|grade \d+)|"
    r"(?:never|not|nothing|none) (?:happened |again )?(?:ever )?since|"
    r"(?:no|zero|not had any|not any|havent had any|hasnt had any) (?:more )?(?:problems?|issues?|"
    r"trouble|episodes?|repeats?|recurrences?|dramas|worries) (?:ever )?since"
)
# After a flag, later in its clause: it is over ("..., fine now", "all healed").
RESOLVED_LATER = (
    r"(?:fine|ok|okay|good|all good|all better|healed|recovered|sorted|normal) (?:now|ever since|"
    r"since then|since)(?![a-z0-9])|fully (?:recovered|healed)|all healed|cleared up|"
    r"(?:has|have|s) been fine|(?:warmed up|back to normal|normal again|pink again|settled down|"
    r"calmed down|went away|gone away|passed) now(?![a-z0-9])"
)
# A clause that ends its sentence and says the person is fine: "fell over at the park, he's fine".
RESOLVED_NEXT = (
    r"^(?:and )?(?:but )?(?:i|im|i am|he|hes|he is|she|shes|she is|they|theyre|they are|its|it is|"
    r"it s|we|were) (?:totally |completely |perfectly |absolutely |all |seems |seemed )?"
    r"(?:fine|ok|okay|alright|all right|all good|unhurt|not hurt|no harm done|right as rain)"
    r"(?: now| again| after| though| thankfully)?$|"
    # "..., but it's completely gone now".
    r"^(?:and )?(?:but )?(?:its|it is|it s|it has|its been|thats|that is|that s|they are|theyre|"
    r"they have|it|they|that|which|this) (?:since |now |all |completely |totally |fully |long |well and truly )*"
    r"(?:gone|gone away|went away|cleared|cleared up|resolved|settled|passed|stopped|disappeared|"
    r"sorted(?: itself| themselves)?(?: out)?|(?:fixed|resolved|cleared|settled) (?:itself|themselves)|"
    r"got better|wore off|settled down)"
    r"(?: now| since| again| completely| away| up)*"
    r"(?: (?:within|in|after|over) (?:a|an|one|two|three|a few|few|a couple of|couple of|\d+) "
    r"(?:hours?|days?|weeks?))?(?: (?:and|thankfully|luckily)(?: \w+){0,3})?$|"
    # "..., came round straight away and fine since", "..., but fine at rest".
    r"^(?:(?!and |but |not |no )[a-z0-9]+ ){0,4}(?:and |but )?(?:(?:ive been|ive|im|i was|was|been|"
    r"hes|shes|he was|she was) )?(?:fine|ok|okay|alright|all right|normal) "
    r"(?:since|ever since|since then|now|at rest|again|after)$"
)
# Fiction or someone unnamed: "a film where someone fell off a cliff".
OTHERS = (
    r"(?:movie|film|show|episode|series|documentary|book|novel|game|video|cartoon|story|dream|"
    r"news|article) (?:where|in which|about|when|with)|on (?:tv|the telly|the news|youtube|"
    r"tiktok|telly)|(?:where|when|saw|seen|watched) (?:someone|somebody|a (?:guy|man|woman|"
    r"girl|boy|character|kid|person|player))|i dreamt|i dreamed|in my dream"
)
# In a question, "your legs" / "you" right before a symptom asks about people in general.
GENERIC_OWNER = r"(?:your|you|ur|u|someones|somebodys|peoples|a persons|ones|youre|yourself)"
# Present-time words: a question that carries one reports ("chest pains right now, is it...?").
PRESENT = (
    r"right now|at the moment|currently|as we speak|as i type|at present|this morning|"
    r"happening now|its happening|still happening|(?:temp|temperature|fever) (?:is |of |s |at )?\d+|"
    r"this evening|this arvo|this afternoon|tonight|today|since (?:this|last|yesterday)|all day|"
    r"for (?:the )?(?:last|past) \w+ (?:hours?|days?|mins?|minutes?)"
)
# Reporting verbs next to a symptom in a question: "having chest pains, is it the virus?".
REPORTING = r"(?:having|getting|got|gotten|feeling|been|keep|keeps|started|now)"
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
    "weak legs gave giving wobbly neck motorbike ladder crash right stumbling staggering "
    "tumble collapsing buckling pinprick "
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
        # Chat shorthand.
        "n": "and",
        "rn": "right now",
        "atm": "at the moment",
        "rly": "really",
        "rlly": "really",
        "nite": "night",
        "u": "you",
        "ur": "your",
        "abt": "about",
        "bc": "because",
        "b4": "before",
        "thru": "through",
        "wen": "when",
        "cos": "because",
        "coz": "because",
        "cuz": "because",
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
        "weave weekend weekly wobble wreak bucking swaggering rights pinpricks"
    ).split()
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

# Fiction after the symptom: "slipped on a banana peel in a dream".
# "in the game" is a video game unless a real day follows ("in the game yesterday").
UNREAL_AFTER = (
    r"in (?:a|my|his|her|the) (?:dream|dreams|nightmare|nightmares|video game|game(?! (?:yesterday|"
    r"today|tonight|last night|this (?:morning|arvo|afternoon|evening|weekend)|on (?:the weekend|"
    r"saturday|sunday|monday|tuesday|wednesday|thursday|friday))))"
)
# "is it bad if I'm ...": the "if" frames a report, not a hypothetical, when a person follows.
REPORT_IF = (
    r"(?:normal|bad|ok|okay|serious|dangerous|worrying|concerning|fine|common|weird|a problem|"
    r"an emergency|alright|all right) if (?:\w+ ){0,4}?(?:i|im|ive|my|he|hes|his|she|shes|her|"
    r"our|they|theyre|their|mum|dad|grandma|grandad)"
)
# A question that frames a report (matched at the start of its sentence) ("is it normal that ...", "should I worry ...") rather than
# asking what a symptom means; a statement right after it says whose symptom it is.
REPORT_QUESTION = (
    r"(?:is|are|isnt|was|should|shall|would|am|do i need|does this|does that|do these)(?: [a-z0-9]+){0,12}? "
    r"(?:normal|bad|ok|okay|serious|dangerous|worr\w*|concern\w*|a problem|an emergency|"
    r"something to worry|a worry|fine|common|alright|all right)(?![a-z0-9])"
)
# After a question, the next statement says the asker has it: "Because mine doesn't".
OWNED_AFTER = (
    r"^(?:because |cos |well |and |but |yes |yeah |coz )?(?:mine|ours|his|hers|theirs)(?![a-z0-9])|"
    r"^(?:because |cos |well |and |but |yes |yeah |coz )?"
    r"(?:(?!dont |doesnt |didnt |havent |hasnt |not |never |no )[a-z]+ ){0,3}"
    r"(?:ive|i have|hes|shes|s|has|have) "
    r"(?:got |had |now )?(?:them|it|one|these|those|that)(?![a-z0-9])"
)
# Whose symptom: words that tie a statement to the person or someone they are with.
OWNER_NEAR = (
    r"my|me|i|im|ive|id|his|her|hes|shes|he|she|our|their|theyre|mum|mom|dad|husband|wife|son|"
    r"daughter|partner|baby|grandma|grandmother|grandad|grandfather"
)
# Before a symptom in such a question: asking what causes or means it, not reporting it.
GENERAL_FRAME = (
    r"cause|causes|causing|lead to|leads to|give you|gives you|make you|makes you|linked|"
    r"related|associated|a sign of|a symptom of|mean|means|ask about|asking about|talk about|"
    r"read about|heard about"
)
