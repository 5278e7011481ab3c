// The quality set's five kinds of document (a gazetteer of towns, a ship register, a herbal, an
// engine catalogue, a biographical dictionary), written in the manner of 19th-century public-domain
// reference works. Invented names throughout, so no answer can come from anything but the text.
// Each kind gives: fact sentences, filler prose (the bulk of a document: shared vocabulary, so
// documents of a kind compete with each other), and three questions per entry:
//   exact       names the entry (a rare invented name or code) and asks in the document's words;
//   paraphrase  does not name it: asks about a fact in other words (synonyms, other word forms);
//   misspelled  names it with one typo, in other words (as people type names they heard once).
// The answer is a phrase of the document: a result is relevant when it is a chunk of that
// document containing the phrase. Written once, before any measurement, and not tuned since.
import { inventWord, pick } from './text';

export type R = () => number;
export interface Question {
  kind: 'exact' | 'paraphrase' | 'misspelled';
  question: string;
  answer: string;
}
export interface Entry {
  title: string;
  facts: string[];
  filler: (rand: R) => string;
  questions: (typo: (s: string) => string) => Question[];
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const name = (rand: R) => cap(inventWord(rand));
const year = (rand: R, from: number, span: number) => from + Math.floor(rand() * span);
/** An item of a pool not used yet (each pool has one per entry of its kind). */
function take<T>(rand: R, xs: T[]): T {
  const [x] = xs.splice(Math.floor(rand() * xs.length), 1);
  if (!x) throw new Error('pool exhausted: more entries than pool items');
  return x;
}
const sentences = (rand: R, templates: ((r: R) => string)[], n: number) => Array.from({ length: n }, () => pick(rand, templates)(rand)).join(' ');

const MONTHS = ['January', 'March', 'April', 'May', 'June', 'August', 'September', 'October', 'November'];
const MATERIALS = ['red brick', 'grey granite', 'limestone', 'timber', 'sandstone', 'flint'];
const SEASONS = ['spring', 'summer', 'autumn', 'winter'];

export function town(rand: R, others: string[], pools: Pools): Entry {
  const t = name(rand) + pick(rand, ['moor', 'by', 'ford', 'wick', 'ton', 'stead', 'holm', 'bury']);
  const region = name(rand), river = name(rand), founder = `${name(rand)} ${name(rand)}`, origin = name(rand);
  const [trade] = take(rand, pools.trades);
  const building = pick(rand, ['watermill', 'tannery', 'kiln', 'ropewalk', 'brewery', 'forge', 'granary', 'toll bridge']);
  const product = pick(rand, ['blue cheese', 'woollen cloth', 'cider', 'glazed pottery', 'horse harness', 'smoked eels', 'lace', 'clay pipes']);
  const [disaster, disasterQ] = take(rand, pools.disasters);
  const material = pick(rand, MATERIALS), fest = name(rand), month = pick(rand, MONTHS);
  const founded = year(rand, 1120, 500), y2 = year(rand, 1640, 220), pop = 800 + Math.floor(rand() * 9000);
  return {
    title: t,
    facts: [
      `${t} is a market town in the ${region} valley, on the east bank of the River ${river}.`,
      `It was founded in ${founded} by ${founder}, a ${trade} from ${origin}, who built the first ${building} there.`,
      `${t} is known for its ${product}, which is sold every ${month} at the ${fest} Fair.`,
      `In ${y2} a ${disaster} destroyed much of the old quarter, which was afterwards rebuilt in ${material}.`,
      `At the census of 1851 the parish counted ${pop} inhabitants.`,
    ],
    filler: (r) =>
      sentences(r, [
        (r) => `The road to ${pick(r, others)} crosses the ${river} by a ${pick(r, MATERIALS)} bridge of ${2 + Math.floor(r() * 7)} arches.`,
        (r) => `Each ${pick(r, SEASONS)} the farmers of the district bring their ${pick(r, ['sheep', 'cattle', 'grain', 'hops', 'apples'])} to the square before the ${pick(r, ['church', 'market hall', 'corn exchange', 'inn'])}.`,
        (r) => `The parish church contains a ${pick(r, ['carved', 'painted', 'gilded', 'plain'])} ${pick(r, ['font', 'screen', 'pulpit', 'window'])} given by a local family in ${year(r, 1400, 400)}.`,
        (r) => `Many of the older houses keep their ${pick(r, ['timber frames', 'thatched roofs', 'bay windows', 'iron railings'])}, and the lanes behind the market are paved with ${pick(r, ['cobbles', 'flagstones', 'setts'])}.`,
        (r) => `The ${region} valley is farmed for ${pick(r, ['barley', 'wheat', 'hops', 'flax', 'oats'])}, and the river meadows flood in most ${pick(r, SEASONS)}s.`,
        (r) => `A carrier's cart runs twice a week to ${pick(r, others)}, and the coach road passes the old ${pick(r, ['turnpike', 'priory', 'gallows hill', 'windmill'])}.`,
        (r) => `The grammar school was endowed in ${year(r, 1500, 300)} and teaches ${10 + Math.floor(r() * 80)} boys.`,
      ], 4 + Math.floor(r() * 3)),
    questions: (typo) => [
      { kind: 'exact', question: `Who founded ${t}, and in what year?`, answer: `founded in ${founded} by ${founder}` },
      { kind: 'paraphrase', question: `Which place had its old quarter rebuilt in ${material} after ${disasterQ} in ${y2}?`, answer: `In ${y2} a ${disaster} destroyed` },
      { kind: 'misspelled', question: `What is ${typo(t)} famous for selling?`, answer: `${t} is known for its ${product}` },
    ],
  };
}

export function ship(rand: R, others: string[], pools: Pools): Entry {
  const s = `${name(rand)} ${pick(rand, ['Star', 'Queen', 'Venture', 'Pride', 'Gull', 'Dawn', 'Rose', 'Hope'])}`;
  const rig = pick(rand, ['brigantine', 'schooner', 'barque', 'clipper', 'sloop', 'steam packet', 'collier brig', 'whaler']);
  const yard = name(rand), port = name(rand), captain = `${name(rand)} ${name(rand)}`, dest = name(rand), cape = name(rand);
  const cargo = pick(rand, ['salt cod', 'coal', 'tea', 'timber', 'wool', 'copper ore', 'rum', 'cotton', 'slate', 'grain']);
  const [fate, fateQ] = take(rand, pools.fates);
  const launched = year(rand, 1780, 90), lost = launched + 3 + Math.floor(rand() * 30), tons = 80 + Math.floor(rand() * 900);
  const reg = 10000 + Math.floor(rand() * 89999);
  return {
    title: `The ${s}`,
    facts: [
      `The ${s} was a ${rig} of ${tons} tons, built at the ${yard} yard in ${port} and launched in ${launched}.`,
      `Her first master was Captain ${captain}, who sailed her to ${dest} with a cargo of ${cargo}.`,
      `She was entered in the harbour register under number ${reg}.`,
      `The ${s} was lost in ${lost} when she ${fate} off Cape ${cape}.`,
    ],
    filler: (r) =>
      sentences(r, [
        (r) => `On the passage to ${pick(r, others)} she met ${pick(r, ['heavy weather', 'contrary winds', 'a long calm', 'fog'])} for ${2 + Math.floor(r() * 20)} days.`,
        (r) => `Her crew numbered ${6 + Math.floor(r() * 30)} men and boys, most of them from the ${pick(r, ['harbour', 'fishing', 'river'])} towns of the coast.`,
        (r) => `The owners insured her hull and cargo for ${100 + Math.floor(r() * 5000)} pounds with the ${name(r)} office.`,
        (r) => `In ${pick(r, SEASONS)} she was laid up for ${pick(r, ['caulking', 'new sails', 'a new mainmast', 'coppering'])} at ${pick(r, others)}.`,
        (r) => `The log records ${pick(r, ['a sighting of whales', 'a fire in the galley', 'the loss of a topmast', 'a man overboard'])} in the ${pick(r, ['Channel', 'Bay', 'northern sea', 'trade winds'])}.`,
        (r) => `She traded for some years between the ports of the ${pick(r, ['north', 'south', 'west'])} and the ${pick(r, ['Baltic', 'Mediterranean', 'Indies', 'colonies'])}.`,
      ], 4 + Math.floor(r() * 3)),
    questions: (typo) => [
      { kind: 'exact', question: `Who was the first master of the ${s}, and where did he sail her?`, answer: `Captain ${captain}, who sailed her to ${dest}` },
      { kind: 'paraphrase', question: `Which vessel ${fateQ} in ${lost}?`, answer: `lost in ${lost} when she ${fate}` },
      { kind: 'misspelled', question: `Which shipyard built the ${typo(s.split(' ')[0]!)} ${s.split(' ')[1]}?`, answer: `built at the ${yard} yard in ${port}` },
    ],
  };
}

export function plant(rand: R, _others: string[], pools: Pools): Entry {
  const common = `${pick(rand, ['Yellow', 'Marsh', 'Creeping', 'Hoary', 'Lesser', 'Dwarf', 'Bearded', 'Golden'])} ${inventWord(rand)}wort`;
  const latin = `${name(rand)}ia ${inventWord(rand)}ensis`, botanist = `${name(rand)} ${name(rand)}`;
  const habit = pick(rand, ['low creeping herb', 'tall perennial', 'climbing vine', 'small shrub', 'tufted grass', 'biennial herb']);
  const habitat = pick(rand, ['chalk downland', 'salt marsh', 'limestone pavement', 'river shingle', 'damp woodland', 'heather moor', 'sand dunes']);
  const colour = pick(rand, ['pale blue', 'deep purple', 'white', 'yellow', 'rose pink', 'greenish']);
  const pollinator = pick(rand, ['bumblebees', 'hoverflies', 'moths', 'beetles', 'butterflies']);
  const [part, liquid, ailment, remedyQ] = take(rand, pools.remedies);
  const described = year(rand, 1690, 180);
  return {
    title: common,
    facts: [
      `${common} (${latin}) is a ${habit} of ${habitat}.`,
      `Its ${colour} flowers open in ${pick(rand, SEASONS)} and are visited chiefly by ${pollinator}.`,
      `Country people steeped the ${part} in ${liquid} as a remedy for ${ailment}.`,
      `It was first described by the botanist ${botanist} in ${described}.`,
    ],
    filler: (r) =>
      sentences(r, [
        (r) => `The leaves are ${pick(r, ['downy', 'glossy', 'toothed', 'narrow', 'heart-shaped'])} and grow in ${pick(r, ['pairs', 'whorls', 'a basal rosette', 'alternate ranks'])} along the stem.`,
        (r) => `It is ${pick(r, ['common', 'local', 'rare', 'frequent'])} in the ${pick(r, ['south', 'north', 'west', 'east'])} and flowers from ${pick(r, MONTHS)} until ${pick(r, MONTHS)}.`,
        (r) => `The seed ripens in ${pick(r, SEASONS)} and is ${pick(r, ['scattered by the wind', 'carried by birds', 'thrown from the capsule', 'washed along by rain'])}.`,
        (r) => `Cattle ${pick(r, ['avoid it', 'graze it readily', 'eat it only in hard winters'])}, and the old herbalists placed it under ${pick(r, ['Venus', 'Saturn', 'Mars', 'the Moon'])}.`,
        (r) => `The root is ${pick(r, ['thick and woody', 'slender', 'creeping', 'bitter to the taste'])} and the whole plant ${pick(r, ['smells faintly of honey', 'has no scent', 'turns black when dried'])}.`,
      ], 4 + Math.floor(r() * 3)),
    questions: (typo) => [
      { kind: 'exact', question: `Where does ${latin} grow, and what sort of plant is it?`, answer: `(${latin}) is a ${habit} of ${habitat}` },
      { kind: 'paraphrase', question: remedyQ, answer: `steeped the ${part} in ${liquid} as a remedy for ${ailment}` },
      { kind: 'misspelled', question: `Who first described the ${typo(common.split(' ')[1]!)} and when?`, answer: `described by the botanist ${botanist} in ${described}` },
    ],
  };
}

export function engine(rand: R, _others: string[], _pools: Pools): Entry {
  const code = `${pick(rand, ['KX', 'RT', 'MV', 'BH', 'SL'])}-${1000 + Math.floor(rand() * 8999)}`;
  const kind = pick(rand, ['rotary boiler', 'beam pump', 'steam hammer', 'threshing engine', 'winding engine', 'hydraulic press', 'printing press']);
  const maker = name(rand), city = name(rand), engineer = `${name(rand)} ${name(rand)}`;
  const psi = 40 + 5 * Math.floor(rand() * 60), hours = 50 * (2 + Math.floor(rand() * 40));
  const part = pick(rand, ['governor', 'feed valve', 'crank bearing', 'flywheel', 'safety valve', 'piston rod']);
  const fault = `${pick(rand, ['Q', 'Z', 'F', 'W'])}${10 + Math.floor(rand() * 89)}`;
  const action = pick(rand, ['close the steam cock', 'open the drain valve', 'damp down the fire', 'stop the engine and oil the bearing']);
  const patented = year(rand, 1800, 80);
  return {
    title: `The ${code} ${kind}`,
    facts: [
      `The ${code} is a ${kind} made by the ${maker} works in ${city}.`,
      `It is rated for a working pressure of ${psi} pounds per square inch and must be inspected every ${hours} hours.`,
      `If the ${part} overheats the indicator shows fault ${fault}; the operator should ${action}.`,
      `The design was patented in ${patented} by the engineer ${engineer}.`,
    ],
    filler: (r) =>
      sentences(r, [
        (r) => `The ${pick(r, ['boiler', 'cylinder', 'frame', 'bedplate'])} is of ${pick(r, ['cast iron', 'wrought iron', 'riveted plate', 'steel'])} and weighs ${2 + Math.floor(r() * 40)} hundredweight.`,
        (r) => `Before starting, the operator should ${pick(r, ['check the water gauge', 'oil every bearing', 'warm the cylinder', 'test the whistle'])} and ${pick(r, ['clear the ash pit', 'open the stop valve slowly', 'turn the flywheel by hand'])}.`,
        (r) => `The ${pick(r, ['pressure gauge', 'water gauge', 'governor', 'lubricator'])} must be kept clean, for a fault there ${pick(r, ['wastes fuel', 'endangers the boiler', 'stops the work'])}.`,
        (r) => `At full load it burns about ${1 + Math.floor(r() * 12)} hundredweight of coal in a working day of ${8 + Math.floor(r() * 6)} hours.`,
        (r) => `Spare ${pick(r, ['packing', 'gauge glasses', 'firebars', 'valve springs'])} may be ordered from the makers by post.`,
      ], 4 + Math.floor(r() * 3)),
    questions: (typo) => [
      { kind: 'exact', question: `What does fault ${fault} on the ${code} mean, and what should the operator do?`, answer: `indicator shows fault ${fault}` },
      { kind: 'paraphrase', question: `Which machine needs an inspection every ${hours} hours and runs at ${psi} psi?`, answer: `working pressure of ${psi} pounds per square inch` },
      { kind: 'misspelled', question: `Who patented the ${typo(code)}?`, answer: `patented in ${patented} by the engineer ${engineer}` },
    ],
  };
}

export function person(rand: R, others: string[], pools: Pools): Entry {
  const full = `${name(rand)} ${name(rand)}`, village = name(rand), place = pick(rand, others);
  const born = year(rand, 1700, 120), died = born + 35 + Math.floor(rand() * 50);
  const parent = pick(rand, ['miller', 'curate', 'shoemaker', 'lighthouse keeper', 'schoolmaster', 'weaver']);
  const [profession, work, workQ] = take(rand, pools.works);
  const event = pick(rand, ['was elected to the Royal Society', 'lost a fortune in the failure of a country bank', 'travelled to Naples to study', 'married the daughter of a printer']);
  return {
    title: full,
    facts: [
      `${full} was born in ${born} at ${village}, the ${pick(rand, ['eldest', 'second', 'youngest', 'third'])} child of a ${parent}.`,
      `${full.split(' ')[0]} trained as a ${profession} and is best remembered for ${work}.`,
      `In ${born + 25 + Math.floor(rand() * 10)} ${full.split(' ')[0]} ${event}.`,
      `${full} died at ${place} in ${died}, aged ${died - born}.`,
    ],
    filler: (r) =>
      sentences(r, [
        (r) => `Letters to ${pick(r, ['a brother', 'a patron', 'the Society', 'a publisher'])} describe ${pick(r, ['long winters', 'poor health', 'many debts', 'journeys on foot'])} in those years.`,
        (r) => `A portrait by a ${pick(r, ['local', 'travelling', 'London'])} painter hangs in the ${pick(r, ['town hall', 'parish church', 'library', 'museum'])} of ${pick(r, others)}.`,
        (r) => `Contemporaries thought the work ${pick(r, ['careful but slow', 'brilliant and careless', 'modest', 'too costly'])}, and it sold ${pick(r, ['poorly', 'well', 'only by subscription'])}.`,
        (r) => `The family moved to ${pick(r, others)} in ${year(r, 1700, 150)}, where the children were taught at home.`,
        (r) => `Several manuscripts survive in the ${pick(r, ['county', 'cathedral', 'university'])} archive, with notes in the margins.`,
      ], 4 + Math.floor(r() * 3)),
    questions: (typo) => [
      { kind: 'exact', question: `Where and when was ${full} born?`, answer: `born in ${born} at ${village}` },
      { kind: 'paraphrase', question: workQ, answer: `is best remembered for ${work}` },
      { kind: 'misspelled', question: `When did ${typo(full.split(' ')[0]!)} ${full.split(' ')[1]} die?`, answer: `died at ${place} in ${died}` },
    ],
  };
}

/** [document wording, question wording]: the question says it in other words. */
const TRADES: [string, string][] = [
  ['cooper', 'barrel maker'], ['tanner', 'leather worker'], ['glassblower', 'glass maker'], ['wheelwright', 'cartwright'],
  ['chandler', 'candle maker'], ['saddler', 'harness maker'], ['potter', 'ceramicist'], ['ropemaker', 'cordwainer'],
  ['clockmaker', 'watchmaker'], ['brewer', 'maltster'], ['weaver', 'clothier'], ['blacksmith', 'ironworker'],
];
const DISASTERS: [string, string][] = [
  ['great fire', 'a huge blaze'], ['flood', 'the river bursting its banks'], ['storm', 'a violent gale'], ['landslide', 'the hillside collapsing'],
  ['fire', 'a conflagration'], ['great flood', 'an inundation'], ['earthquake', 'the ground shaking'], ['tornado', 'a whirlwind'],
  ['riot', 'an uprising of the townspeople'], ['gas explosion', 'a blast'], ['hurricane', 'a tempest'], ['siege', 'an army besieging it'],
];
const FATES: [string, string][] = [
  ['ran aground', 'was driven ashore'], ['struck a reef', 'hit submerged rocks'], ['foundered in a gale', 'sank in a storm'],
  ['caught fire', 'burned at sea'], ['was crushed by ice', 'was trapped and broken in the pack ice'], ['collided with a steamer', 'was rammed by a steamship'],
  ['capsized', 'turned over'], ['was wrecked on a sandbank', 'stranded on shoals'], ['was seized by privateers', 'was captured by raiders'],
  ['sprang a leak and sank', 'took on water and went down'], ['was burnt by her crew', 'was set alight by mutineers'], ['disappeared', 'vanished without trace'],
];
/** [part, liquid, ailment, question]. */
const REMEDIES: [string, string, string, string][] = [
  ['roots', 'vinegar', 'toothache', 'Which plant was soaked in sour wine and used against aching teeth?'],
  ['leaves', 'ale', 'gout', 'What herb, infused in beer, was taken for painful swollen joints?'],
  ['seeds', 'milk', 'sleeplessness', 'Which herb was steeped in milk to treat insomnia?'],
  ['flowers', 'honey water', 'coughs', 'What was used, soaked in honeyed water, to soothe a cough?'],
  ['bark', 'brandy', 'fevers', 'Which plant was infused in spirits as a cure for a high temperature?'],
  ['roots', 'ale', 'warts', 'What plant did villagers soak in beer to get rid of warts?'],
  ['leaves', 'vinegar', 'sore eyes', 'Which herb was steeped in vinegar for inflamed, painful eyes?'],
  ['flowers', 'milk', 'chilblains', 'What was soaked in milk to treat chilblained fingers?'],
  ['seeds', 'brandy', 'colic', 'Which plant was infused in spirits for stomach cramps?'],
  ['bark', 'honey water', 'sore throats', 'Which herb was taken in sweetened water for a painful throat?'],
  ['roots', 'milk', 'headaches', 'Which plant was steeped in milk as a cure for a headache?'],
  ['leaves', 'brandy', 'bruises', 'What herb, soaked in spirits, was put on bruised skin?'],
];
/** [profession, work, question]. */
const WORKS: [string, string, string][] = [
  ['mapmaker', 'the first map of the northern fens', 'Which cartographer first mapped the northern fenland?'],
  ['astronomer', 'a catalogue of ninety comets', 'Who compiled a list of 90 comets?'],
  ['physician', 'a cure for marsh fever', 'Which doctor found a treatment for the fever of the marshes?'],
  ['engraver', 'the plates of a famous herbal', 'Which printmaker engraved the illustrations of a well-known herbal?'],
  ['architect', 'the corn exchange of the county town', 'Which building designer is known for a county corn exchange?'],
  ['naturalist', 'a study of the migrating swallow', 'Which natural historian wrote about swallows and their migration?'],
  ['surveyor', 'the canal across the western moors', 'Who laid out a canal over the moors of the west?'],
  ['chemist', 'a method of bleaching linen with chlorine', 'Which chemist invented a chlorine process for whitening linen?'],
  ['composer', 'a setting of the harvest psalms', 'Which musician set the harvest psalms to music?'],
  ['printer', 'a cheap edition of the ballads of the border', 'Who published inexpensive border ballads?'],
  ['geologist', 'the discovery of fossil fishes in the red sandstone', 'Which geologist found fossilised fish in red sandstone?'],
  ['inventor', 'a safety lamp for miners', 'Who invented a lamp that kept coal miners safe?'],
];

/** Fresh pools for one corpus: each item is used once. */
export const newPools = () => ({ trades: [...TRADES], disasters: [...DISASTERS], fates: [...FATES], remedies: [...REMEDIES], works: [...WORKS] });
export type Pools = ReturnType<typeof newPools>;
