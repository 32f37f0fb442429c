"""Everyday English words, so the speller leaves real words alone instead of "correcting" them.

A compact hand-written list (roughly the most common few thousand words of everyday English,
plus inflections people type often). It only says "this is a real word"; it carries no topic.
"""

from __future__ import annotations

_COMMON_WORDS_TEXT = """
    a able about above absolutely accept accepted access accident according account across
    act acted acting action active activity actual actually add added adding address adult
    advice afford afraid after afternoon again against age aged ago agree agreed ahead aid
    aim air airport alarm alive all allow allowed almost alone along already alright also
    although always am amazing among amount an and angry animal another answer answered any
    anybody anymore anyone anything anyway anywhere apart apartment apparently appear
    appeared apple apply appreciate approach april are area argue argument arm around
    arrive arrived art article as aside ask asked asking asleep at ate attack attention
    attitude august aunt avoid awake aware away awful awfully awkward baby back bad badly
    bag ball band bank bar base based basic basically bath bathroom be beach bear beat
    beautiful became because become bed bedroom been beer before began begin beginning
    behind being believe bell belong below bend bending bent beside best better between
    beyond big bigger bike bill bin bird birthday bit bite bits black blame blanket blind
    block blood blow blue board boat body boil boiled bone book boot bored boring born
    borrow boss both bother bottle bottom bought bowl box boy boyfriend brain branch brave
    bread break breakfast breath breathe brief bright brilliant bring broke broken brother
    brought brown brush build building built bunch burn burning burnt bus business busy
    but butter button buy by bye cake call called calling calm came camera camp can cancel
    cannot cant car card care careful carefully carry case cat catch caught cause caused
    causes causing cell centre century certain certainly chair chance change changed
    changes changing chat cheap check checked cheese chest chicken child children choice
    choose chose church city claim class clean clear clearly clever climb clock close
    closed clothes cloud club coat coffee cold collect college colour come comes comfort
    comfortable coming common company complain complete completely computer concern
    condition confused consider contact continue control conversation cook cooked cool
    copy corner correct cost cosy couch cough could couldnt count country couple course
    cousin cover covered covers crazy cream create crime cross crowd cry crying cup cure
    current currently curtain customer cut cute dad daily damage dance danger dangerous
    dark date daughter day days dead deal dear death decide decided deep definitely degree
    delicious depend depends describe desk despite detail die died diet difference
    different difficult dinner direct direction dirty discover discuss dish do doctor does
    doesnt dog doing done dont door double doubt down draw dream dress drink drinking
    drive driver drop dropped drove dry due during dust duty each ear earlier early earn
    easily east easy eat eaten eating edge effect effort egg eight either else elsewhere
    email empty end ended ending energy enjoy enough enter entire entirely environment
    equal especially even evening event ever every everybody everyone everything
    everywhere exact exactly exam example except excited exciting excuse exercise expect
    expensive experience explain extra eye face fact fair fairly fall fallen false family
    famous fan far farm fast fat father fault favourite fear feel feeling feelings feels
    feet fell felt female few field fight figure fill film final finally find fine finger
    finish finished fire first fish fit five fix fixed flat floor flower fly focus follow
    food foot for force forever forget forgot form forward found four free freezing
    fresh friday friend friends from front fruit full fun funny further future game garden
    gave general generally gentle get gets getting gift girl give given giving glad glass
    go goes going gold gone good got great green grew ground group grow grown guess guy
    had hair half hall hand handle hang happen happened happening happens happy hard hardly
    has hate have having he head health healthy hear heard heart heat heavy held hell
    hello help helped helpful helping helps her here herself hey hi hide hiding high hill
    him himself his history hit hold hole holiday home honest honestly hope hopefully
    horrible horse hospital hot hotel hour hours house how however huge human hungry hurt
    husband i ice idea if ill imagine important impossible in include including indeed
    information inside instead interest interested interesting into is island isnt issue
    it its itself job join joke journey july jump june just keep kept key kick kid kids
    kill killing kind kitchen knew know knowing known lady lake land language large last
    late later laugh law lay lazy lead learn least leave left lesson let letter lie life
    lift light like liked likely line list listen little live lived lives living load
    local lock long longer look looked looking lose lost lot lots loud love lovely low
    luck lucky lunch machine mad made main major make makes making male man manage many
    map march mark market married matter may maybe me meal mean meaning means meant
    measure meat medical meet meeting member memory mention mess message met middle might
    mile milk mind mine minute minutes miss missed mistake mix moment monday money month
    months mood more morning most mostly mother mountain mouth move moved movie much mum
    music must my myself name narrow nasty natural near nearly neck need needed needs
    neighbour neither nervous never new news next nice night nine no nobody noise none
    normal normally north nose not note nothing notice now number nurse of off offer
    office often oh oil ok okay old on once one ones online only onto open opinion or
    orange order ordinary other others otherwise our ours out outside over own page pain
    paint pair paper parent parents park part partner party pass passed past pay people
    perfect perhaps period person phone pick picture piece place plan plane plant play
    please plenty pocket point police pool poor popular position possible possibly post
    pot power practice prefer prepare present pretty price probably problem problems
    produce promise proper properly protect proud prove pull push put quarter question
    quick quickly quiet quite rain raise ran rather reach read reading ready real realise
    realised really reason reasons recent recently recognise recommend red relax relaxed
    remember remind repeat reply report rest result return rich ride right ring rise risk
    river road rock room round rule run running sad safe said same saturday save saw say
    saying says scared school score screen sea season seat second secret see seem seemed
    seems seen sell send sense sent serious seriously serve service set seven several
    shake shall shape share she sheet shirt shock shoe shoes shop short should shoulder
    shout show shower shut sick side sign silly simple simply since sing single sister
    sit sitting situation six size skin sleep slept slightly slow slowly small smell smile
    smoke snow so sofa soft some somebody somehow someone something sometimes somewhere
    son song soon sorry sort sound south space speak special spend spent spoke spot
    spring stand standing star start started starting state stay stayed step stick still
    stomach stop stopped store story straight strange street stress strong student study
    stuff stupid style such sudden suddenly sugar suggest suggested summer sun sunday
    supper support suppose sure surprise surprised sweet swim table take taken takes
    taking talk talked talking tall taste tea teach teacher team tear tell telling ten
    terrible test text than thank thanks that thats the their them themselves then there
    therefore these they thick thin thing things think thinking third this those though
    thought three threw through throw thursday thus ticket tidy tie tight till time times
    tiny tired to today together told tomorrow tonight too took top total totally touch
    tough towards town train travel tree trip trouble true trust truth try trying tuesday
    turn turned twice two type ugly uncle under understand unless until up upon upset
    upstairs us use used useful usual usually various very view visit voice wait waiting
    wake walk walked wall want wanted wants war warm was wash washing waste watch water
    way we weak wear weather wednesday week weekend weeks weird welcome well went were
    west wet what whatever wheel when where whether which while white who whole whose
    why wide wife wild will win window winter wish with within without woke woman women
    wonder wonderful wont wood word words work worked working world worried worry worse
    worst worth would wouldnt write writing written wrong wrote yard yeah year years yes
    yesterday yet you young your yours yourself youth
    ability absence absent absorb abuse academic accompany achieve acid acknowledge acquire
    actor adapt addition additional adequate adjust admit adopt advance advantage adventure
    affair affect afterwards agency agent aggressive agreement ahead alcohol alternative
    amazing ambulance amongst analysis ancient anger angle announce annual anxious apparent
    appeal appearance appointment appropriate approve argue arise arrange arrangement
    arrest arrival artist aspect assess assist associate assume atmosphere attach attempt
    attend attract audience author authority automatic available average award badge
    balance ban barely barrier basis battle beauty bedtime beer behalf behave belief belt
    benefit bet bible bitter blade blank bless blind blow boiling bond bones bore bother
    boundary brand breed brick bridge briefly broad broadcast budget burden bury cabinet
    calculate campaign candidate capable capacity capital captain capture career cash
    category ceiling celebrate central ceremony chain chairman challenge champion channel
    chapter character charge chart chase cheat chemistry chief choir circle circumstance
    citizen civil claim classic clause client climate clinic closely coach coast code
    colleague column combination combine comedy command comment commercial commit
    committee communicate community compare comparison compete competition complex
    component concept conclude concrete conduct conference confidence confirm conflict
    connect connection consequence conservative considerable constant construct consult
    consume consumer contain content contest context contract contrast contribute
    convince core corporate council counter county courage court create creature credit
    crew crisis criticism crop crucial cultural culture cure curious currency curve cycle
    debate debt decade declare decline defeat defence define delay deliver demand deny
    department depression describe desert deserve design desire destroy detect determine
    develop device devote dialogue diet dig dimension dinner disaster discipline discount
    display distance distinct district divide division document domestic dominate draft
    drag drama dramatic dress drug duck dull dumb eager earth economic edition editor
    educate effective efficient elderly elect element eliminate emerge emotion emphasis
    employ enable encounter encourage enemy engage engine enormous ensure entertain
    entrance episode equipment era error escape essay essential establish estate estimate
    ethnic evaluate eventually evidence evil exchange exclude executive exhibition exist
    existence expand expansion expert explore export expose express extend extent extreme
    facility factor faculty fade faith familiar fancy fantasy fashion fate favour feature
    federal fee fellow fence festival fiction file finance firm flag flight float flow
    fold folk football forecast foreign forest formal former formula fortune foundation
    frame frankly fraud frequency frequent friendly frighten fuel function fund funeral
    gain gallery gap gate gather gender generate generation generous genuine ghost giant
    glance global goal golf govern government grab grade grain grand grant grave grey
    guard guest guide guilty gun habit hall handsome hardware harm hat headline heaven
    height hero hesitate hidden highlight highly hire historic honour horror host household
    housing ideal identify identity ignore illegal illness illustrate image impact imply
    impose impress impression improve incident income increase increasingly independent
    index indicate individual industry inform initial injury inner innocent input insist
    install instance institution instruction insurance intend intense internal
    international interpret interview introduce invest investigate invite involve iron
    item jacket joint judge judgment jury justice justify kingdom knock label labour lack
    landscape largely latest launch layer leader league lean leather lecture legal legend
    leisure length level liberal library licence lifestyle limit link literature loan
    locate logic loose lord lovely loyal luxury magazine maintain majority manner
    manufacture margin marine massive master match mate material maximum meanwhile media
    medium mental mere merely method military mineral minimum minister minor mission
    mobile model modern modest monitor moral mostly motion motor murder muscle museum
    mystery nation native nature naturally navy necessary negative negotiate nervous net
    network nevertheless noble nonetheless norm notion novel nuclear numerous object
    objective obligation observe obtain obvious obviously occasion occupy occur odd
    offence official operate operation opponent opportunity oppose option organic
    organise origin outcome output overall owe pace pack package pain palace panel panic
    parallel parliament participate particular particularly passage passenger passion
    patient pattern peak penalty pension perceive percent perform permanent permit
    personality perspective phase philosophy physical pile pilot pitch planet plate
    platform pleasant pleasure plus poem poet poetry pole policy political politics poll
    pollution portion portrait pose positive possess potential pour poverty powerful
    practical praise pray precise predict pregnant premise presence preserve president
    press pressure prevent previous pride priest primary prime prince principal principle
    print prior priority prison private prize procedure proceed process profession
    professor profile profit program progress project prominent proof property proportion
    proposal prospect protest provide provision pub publication purchase pure purpose
    pursue qualify quality quantity quote race radical radio rail range rank rapid rare
    rate ratio raw react reader realistic reality rear reasonable recall receipt receive
    recipe record recover recovery reduce reduction refer reflect reform refuse regard
    region register regret regular regulation reject relate relation relationship
    relative release relevant relief religion religious rely remain remark remote remove
    rent repair replace represent reputation request require rescue research reserve
    resident resist resolve resource respect respond response responsibility restaurant
    restore restrict retain retire reveal revenue reverse review revolution reward rhythm
    rid rival role roll romantic roof root rough route routine row royal rural rush
    sacrifice sake salary sale sample satisfy scale scene schedule scheme scholar science
    scientific scientist scope sector secure security seek segment select senior sentence
    separate sequence series session settle settlement severe sex shade shadow shallow
    shame sharp shelf shell shelter shift shine ship shoot shore shortly shot shoulder
    shut signal significant silence silent silver similar similarly sin sir site skill
    slave slide slip smart smooth soccer social society software soil soldier solid
    solution solve somewhat sophisticated soul source spare species specific speech speed
    spirit split sport spread stable staff stage stake standard statement station status
    steady steal steel stock stone storm strategy stream strength stretch strike string
    strip stroke structure struggle studio stuff subject submit substance succeed
    success successful sue suffer sufficient suit suitable sum supply surface surgery
    survey survive suspect sustain swing symbol sympathy system tackle tale talent target
    task tax technical technique technology temperature temporary tend tension term
    terms territory terror testify theatre theme theory therapy thereby thesis threat
    threaten throughout ticket tiny tip tissue title tone tool topic tour track trade
    tradition traditional traffic tragedy transfer transform transition transport trap
    treat treatment treaty trend trial tribe trick troop tube tune tunnel typical
    typically ultimate ultimately unable uncertain undergo unique unit unity universe
    university unknown unlike unlikely upper urban urge urgent valley valuable value
    variable variation variety vast vehicle venture version versus vessel veteran victim
    victory video village violence violent virtual virtue visible vision visual vital
    volume volunteer vote wage warn warning wave wealth weapon weigh weight welfare
    wherever wire wise withdraw witness wonder worker workshop worldwide worry wound wrap
    yield zone
    ache aches aching achy ankle arms awful awfully bloody bug bugs crook dizzy exhausted
    fever flu freezing gross headache hurting hurts illness infection itchy knackered
    medicine nauseous nausea pills poorly rash sneeze sneezing sore stiff stiffness
    sweat sweating sweaty swollen symptom symptoms throat tablet tablets unwell virus
    vomit vomiting weakness wheeze woozy yuck awesome heaps loads tons bunch mate mates
    arvo reckon keen stuffed rooted buggered bloke legit dodgy fair dinkum sooo kinda
    sorta gonna wanna gotta lemme dunno yep nope nah yeah cheers ta hmm wow lol omg
    tbh btw idk fyi aint whats hows wheres whos theyre youre weve theyve shes hes ill
    wed shouldve couldve wouldve mustve
    abilities added ages allows answers arrived asks became begins believed belongs
    bigger biggest bodies books bought boxes brings brothers builds calls cared cares
    carried carries cars caught changes cheaper checks cleaned closer closes colder
    coldest comes costs counted covered cried cries cuts dealt decides died dies doctors
    dogs doors drank dreams dressed drinks drives drops easier easiest eats ended ends
    enjoyed explains faced facts fails failed falls feeling fights fills finds fits
    followed follows forgot friends gave gets girls gives goes happier harder hardest
    hated healthier heavier helped hits holds hoped hopes hoping houses hurried ideas
    jobs joined keeps kicked kills knows larger largest lasted lasts laughed learned
    learnt leaves lies liked likes lines lived looks lost loved loves lower makes meals
    meets minds misses moved moves named needs nicer noticed numbers opened opens pages
    paid parts passes pays phones picked pieces places plans played plays points pulled
    pushed puts reached reads remembered rested rests returned rides rooms runs saved
    says seconds seems sells sends shows sitting sleeps smaller smells sounds speaks
    spends stands starts stays steps stopped stops studied stuck talks tastes teaches
    tells thanks things thinks tired tries turned turns uses visited waited waits walks
    wanted wants warmer washed watched watches wears weeks wins wished wishes worked works
    worries worse writes years
"""

COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
