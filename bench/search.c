/*
 * search.c - the helper of bench/search: synthetic archive pages in four
 * languages, indexed with kt_index, and a fixed mix of queries timed.
 *
 *   kt_bench_search gen   FILES N            write N pages as FILES/NNNN/NNNNNNN.txt
 *   kt_bench_search index DB FILES N [BATCH] index those N pages (text read from the
 *                                             files, fields made again from the page
 *                                             number), commit every BATCH (10000)
 *   kt_bench_search query DB N [ROUNDS]      run the query mix ROUNDS times (20) on an
 *                                             index of N pages, print p50 and p99
 *   kt_bench_search exec [--as NAME] CMD ARGS...
 *                                             run a command, print its time and peak memory
 *
 * Every page is made from its number alone (splitmix64), so the files, the
 * fields and the queries agree without storing anything. A document has two
 * pages sharing its fields: language (a quarter each of Latvian,
 * Lithuanian, Russian, English), type, case number, personal code, one or two
 * names (Latin in three languages, Cyrillic in Russian), two to four dates
 * from 1995 to 2024, a batch. A page is 150 to 300 words: a heading, lines
 * with the fields written as an officer would, and sentences drawn with Zipf
 * frequencies (1/rank) from a vocabulary of each language: 30 common words,
 * then about 200 words of the domain each followed by three made-up words,
 * then the rest of 20000 made-up words from the language's sounds, so that a
 * word of the domain such as "lēmums" is on about one page in five of its
 * language, as in a real archive, and not on every page. Surnames are made
 * from stems and endings, so there are thousands of them.
 */
#include "kt_buf.h"
#include "kt_index.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- random */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *s, unsigned n) { return (unsigned)(splitmix(s) % n); }

/* The state of a stream of its own for number k of kind `salt`. */
static uint64_t seed(uint64_t k, uint64_t salt)
{
	uint64_t s = k ^ (salt << 48);

	return splitmix(&s);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(s, a) ((a)[below(s, (unsigned)N_OF(a))])

/* ------------------------------------------------------------- vocabularies */

enum { LAV, LIT, RUS, ENG, NLANG };
static const char *const lang_code[NLANG] = { "lav", "lit", "rus", "eng" };

enum { DECISION, APPLICATION, INTERVIEW, LETTER, IDENTITY, OTHER, NTYPE };
static const char *const type_name[NTYPE] = { "decision", "application", "interview", "letter", "identity", "other" };

static const char *const heading[NLANG][NTYPE] = {
	{ "LĒMUMS", "IESNIEGUMS", "PĀRRUNU PROTOKOLS", "VĒSTULE", "PERSONU APLIECINOŠS DOKUMENTS", "IZZIŅA" },
	{ "SPRENDIMAS", "PRAŠYMAS", "POKALBIO PROTOKOLAS", "RAŠTAS", "ASMENS DOKUMENTAS", "PAŽYMA" },
	{ "РЕШЕНИЕ", "ЗАЯВЛЕНИЕ", "ПРОТОКОЛ СОБЕСЕДОВАНИЯ", "ПИСЬМО", "ДОКУМЕНТ, УДОСТОВЕРЯЮЩИЙ ЛИЧНОСТЬ", "СПРАВКА" },
	{ "DECISION", "APPLICATION", "INTERVIEW RECORD", "LETTER", "IDENTITY DOCUMENT", "CERTIFICATE" },
};

static const char *const office[NLANG] = {
	"Pilsonības un migrācijas lietu pārvalde, Uzturēšanās atļauju nodaļa",
	"Migracijos departamentas prie Lietuvos Respublikos vidaus reikalų ministerijos",
	"Управление по делам гражданства и миграции, Отдел видов на жительство",
	"Office of Citizenship and Migration Affairs, Residence Permits Division",
};

/* Words of the migration office's domain, commonest first. */
static const char *const vocab_lav[] = {
	"un", "par", "ar", "uz", "no", "ka", "ir", "tiek", "lietas", "iesniedzējs", "atļauju", "uzturēšanās",
	"pārvalde", "saskaņā", "likuma", "dokumentus", "termiņuzturēšanās", "iesniegumu", "lēmums", "pieteikums",
	"personas", "kods", "Latvijā", "Rīgā", "darba", "līgums", "pamatojoties", "izsniegt", "atteikt",
	"pagarināt", "derīguma", "termiņu", "pants", "panta", "punkts", "Imigrācijas", "ārzemnieks", "ārzemnieka",
	"pase", "pases", "vīza", "vīzas", "pilsonība", "dzimšanas", "datums", "adrese", "dzīvesvieta",
	"dzīvesvietas", "ģimenes", "locekļi", "laulātais", "bērns", "bērni", "apgādībā", "ienākumi", "ienākumiem",
	"veselības", "apdrošināšanas", "polise", "polisi", "izziņa", "izziņu", "kopija", "kopiju", "paraksts",
	"inspektore", "inspektors", "vecākā", "nodaļas", "vadītājs", "intervija", "jautājums", "atbilde",
	"protokols", "tulks", "valoda", "valodā", "pieņemts", "apstrīdēt", "pārsūdzēt", "mēneša", "laikā",
	"stājas", "spēkā", "Iekšlietu", "ministrijā", "ministrija", "iestāde", "iestādē", "iesniegts",
	"iesniegti", "pievienoti", "konstatēja", "nolēma", "izvērtējot", "ņemot", "vērā", "minēto", "turpmāk",
	"gada", "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā", "septembrī",
	"oktobrī", "novembrī", "decembrī", "darba", "devējs", "devēja", "alga", "algu", "uzņēmums", "SIA",
	"valsts", "valstī", "robeža", "robežsardze", "uzturēšanās", "tiesības", "pienākumi", "sods", "soda",
	"reģistrēts", "reģistrācija", "deklarēta", "īre", "īres", "dzīvoklis", "dzīvoklī", "iela", "ielā",
	"students", "studijas", "augstskola", "mācības", "ģimenes", "atkalapvienošana", "patvērums",
	"patvēruma", "meklētājs", "bēglis", "alternatīvais", "statuss", "statusu", "lieta", "lietā", "materiāli",
	"pārbaude", "pārbaudes", "rezultāti", "ziņas", "patiesas", "apliecinu", "lūdzu", "pielikumā", "saņemts",
	"nosūtīts", "paziņojums", "paziņot", "atteikums", "atteikuma", "pamats", "pamatojums", "nepietiekami",
	"līdzekļi", "iztikas", "minimums", "pastāvīgās", "uzturēšanās", "atļauja", "atļaujas", "reģistrācijas",
	"apliecība", "apliecības", "ārvalstu", "pilsonis", "pilsoņa", "bezvalstnieks", "Ukrainas", "Afganistānas",
	"Baltkrievijas", "Krievijas", "Indijas", "Uzbekistānas", "Azerbaidžānas", "Gruzijas", "Turcijas",
};

static const char *const vocab_lit[] = {
	"ir", "kad", "dėl", "su", "iš", "į", "prie", "pagal", "leidimo", "gyventi", "laikinai", "leidimą",
	"migracijos", "departamentas", "departamentui", "prašymas", "prašymą", "prašau", "sprendimas",
	"sprendimą", "sprendimo", "užsienietis", "užsieniečio", "užsieniečių", "teisinės", "padėties", "įstatymo",
	"straipsnio", "punkto", "dalies", "asmens", "kodas", "gimimo", "data", "pilietybė", "pasas", "paso",
	"kopiją", "darbo", "sutartis", "sutarties", "darbdavys", "darbdavio", "UAB", "įmonė", "įmonės",
	"gyvenamoji", "vieta", "deklaruota", "Vilniuje", "Kaune", "Klaipėdoje", "Lietuvoje", "Lietuvos",
	"Respublikos", "vidaus", "reikalų", "ministerijos", "sveikatos", "draudimo", "polisą", "pažymą",
	"pažyma", "pajamas", "pajamų", "šeimos", "narys", "nariai", "sutuoktinis", "vaikas", "vaikai", "išduoti",
	"atsisakyti", "pratęsti", "galiojimo", "laikas", "baigiasi", "pateikti", "duomenys", "teisingi",
	"išsamūs", "patvirtinu", "parašas", "gauta", "priėmė", "specialistas", "specialistė", "vyriausiasis",
	"pokalbis", "pokalbio", "klausimas", "atsakymas", "vertėjas", "kalba", "kalbą", "skundas", "skundą",
	"apskųsti", "teismui", "administraciniam", "per", "mėnesį", "nuo", "iki", "metų", "sausio", "vasario",
	"kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio",
	"gruodžio", "dienos", "studijos", "studijų", "universitetas", "prieglobstis", "prieglobsčio",
	"prašytojas", "pabėgėlio", "statusas", "papildoma", "apsauga", "byla", "bylos", "medžiaga",
	"patikrinimas", "rezultatai", "informacija", "pranešimas", "pranešti", "atsisakymo", "pagrindas",
	"nepakanka", "lėšų", "pragyvenimui", "nuolatinis", "leidimas", "kortelė", "kortelės", "valstybės",
	"sienos", "apsaugos", "tarnyba", "Ukrainos", "Afganistano", "Baltarusijos", "Rusijos", "Indijos",
	"Uzbekistano", "Azerbaidžano", "Sakartvelo", "Turkijos", "pilietis", "piliečio", "asmuo", "be",
	"pilietybės", "atvyko", "atvykimo", "išvykimo", "vizą", "viza", "nacionalinė", "darbo", "vietos",
	"adresas", "gatvė", "butas", "nuoma", "nuomos", "sutartį",
};

static const char *const vocab_rus[] = {
	"и", "в", "на", "с", "по", "о", "не", "что", "для", "от", "вид", "на", "жительство", "заявитель",
	"заявителя", "заявление", "заявления", "решение", "решения", "выдаче", "выдать", "отказать", "продлить",
	"срок", "действия", "закона", "статьи", "пункта", "части", "персональный", "код", "дата", "рождения",
	"гражданство", "паспорт", "паспорта", "копия", "копию", "трудовой", "договор", "договора", "работодатель",
	"работодателя", "компании", "предприятие", "место", "жительства", "задекларировано", "Риге", "Латвии",
	"Латвию", "Даугавпилсе", "медицинского", "страхования", "полис", "справка", "справку", "доходах",
	"семьи", "члены", "супруга", "супруг", "ребёнок", "дети", "иждивении", "вопрос", "ответ", "переводчик",
	"язык", "языке", "протокол", "собеседования", "инспектор", "старший", "отдела", "начальник", "подпись",
	"обжаловать", "министерстве", "внутренних", "дел", "течение", "месяца", "вступает", "силу",
	"рассмотрев", "представленные", "документы", "установил", "решил", "учитывая", "вышеизложенное",
	"года", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
	"октября", "ноября", "декабря", "прибыл", "прибыли", "проживаю", "проживает", "работаю", "работает",
	"водителем", "строителем", "программистом", "квартиру", "снимаю", "улица", "дом", "квартира",
	"студент", "обучение", "университет", "убежище", "убежища", "беженца", "статус", "альтернативный",
	"дело", "дела", "материалы", "проверка", "проверки", "результаты", "сведения", "достоверны",
	"подтверждаю", "прошу", "приложение", "получено", "направлено", "уведомление", "уведомить", "отказ",
	"отказа", "основание", "основания", "недостаточно", "средств", "существования", "постоянный",
	"временный", "разрешение", "разрешения", "карта", "иностранец", "иностранца", "гражданин",
	"гражданина", "лицо", "без", "гражданства", "Украины", "Афганистана", "Беларуси", "России", "Индии",
	"Узбекистана", "Азербайджана", "Грузии", "Турции", "пограничная", "охрана", "виза", "визу", "въезда",
	"выезда", "адрес", "регистрации", "зарегистрирован", "замечаний", "нет", "прочитан",
};

static const char *const vocab_eng[] = {
	"the", "of", "and", "to", "in", "a", "for", "is", "on", "that", "by", "with", "residence", "permit",
	"application", "applicant", "decision", "granted", "refused", "extension", "period", "validity",
	"section", "article", "paragraph", "Immigration", "Law", "personal", "code", "date", "birth",
	"nationality", "passport", "copy", "employment", "contract", "employer", "company", "Ltd", "address",
	"registered", "Riga", "Latvia", "Leeds", "London", "health", "insurance", "policy", "certificate",
	"income", "family", "member", "members", "spouse", "child", "children", "dependent", "interview",
	"question", "answer", "interpreter", "language", "record", "officer", "senior", "inspector", "head",
	"division", "signature", "appeal", "Ministry", "Interior", "within", "one", "month", "enters", "into",
	"force", "having", "examined", "documents", "submitted", "found", "decided", "considering", "above",
	"year", "January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December", "arrived", "living", "lives", "work", "works", "driver", "engineer",
	"programmer", "flat", "rent", "rented", "street", "student", "studies", "university", "asylum",
	"refugee", "status", "subsidiary", "protection", "case", "file", "materials", "check", "checks",
	"results", "information", "true", "confirm", "request", "requested", "enclosed", "received", "sent",
	"notification", "notify", "refusal", "grounds", "insufficient", "means", "subsistence", "permanent",
	"temporary", "card", "foreigner", "foreign", "citizen", "stateless", "person", "Ukraine", "Afghanistan",
	"Belarus", "Russia", "India", "Uzbekistan", "Azerbaijan", "Georgia", "Turkey", "border", "guard",
	"visa", "entry", "exit", "registration", "remarks", "none", "read", "sincerely", "kindly", "ask",
	"consider", "favourably", "further", "contact", "department", "salary", "annual", "full-time",
	"project", "assigned", "accommodation", "cost", "cover", "remain", "payroll",
};

/* The commonest words of each language, ranked first. */
static const char *const func_lav[] = {
	"un", "ir", "par", "uz", "ar", "no", "ka", "kā", "arī", "tiek", "to", "tā", "pie", "līdz", "jo", "vai",
	"bet", "nav", "pēc", "kas", "tas", "šis", "viņa", "viņš", "savu", "kad", "lai", "gan", "tikai", "ne",
};
static const char *const func_lit[] = {
	"ir", "kad", "dėl", "su", "iš", "į", "prie", "pagal", "nuo", "iki", "per", "be", "yra", "buvo", "tai",
	"kaip", "ar", "o", "bet", "jo", "jos", "kuris", "kuri", "šis", "tas", "savo", "taip", "ne", "tik", "dar",
};
static const char *const func_rus[] = {
	"и", "в", "на", "с", "по", "о", "не", "что", "для", "от", "к", "за", "из", "у", "как", "это", "он",
	"она", "его", "её", "был", "была", "при", "до", "после", "также", "или", "но", "же", "который",
};
static const char *const func_eng[] = {
	"the", "of", "and", "to", "in", "a", "for", "is", "on", "that", "by", "with", "as", "was", "be", "at",
	"from", "this", "his", "her", "has", "have", "not", "are", "or", "an", "which", "it", "will", "been",
};

/* Made-up words of the long tail, from the sounds of each language. */
static const char *const on_lav[] = { "", "k", "l", "m", "r", "s", "t", "v", "p", "d", "g", "z", "b", "j", "n", "š",
	"ž", "č", "ģ", "ķ", "ļ", "ņ", "st", "kr", "pr", "tr", "sv", "br", "gr" };
static const char *const vo_lav[] = { "a", "a", "e", "e", "i", "i", "u", "o", "ā", "ē", "ī", "ū", "ie", "ai", "au" };
static const char *const end_lav[] = { "s", "a", "e", "i", "u", "as", "us", "ām", "ai", "ei", "iem", "am", "os", "is" };
static const char *const on_lit[] = { "", "k", "l", "m", "r", "s", "t", "v", "p", "d", "g", "z", "b", "j", "n", "š",
	"ž", "č", "st", "kr", "pr", "tr", "sv", "br", "gr" };
static const char *const vo_lit[] = { "a", "a", "e", "e", "i", "i", "o", "o", "u", "u", "y", "ą", "ę", "ė", "į", "ų",
	"ū", "ie", "uo", "ai" };
static const char *const end_lit[] = { "as", "is", "ys", "us", "ė", "a", "ai", "ų", "ą", "ui", "oje", "ams", "iu" };
static const char *const on_rus[] = { "", "б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф",
	"х", "ц", "ч", "ш", "щ", "ст", "пр", "кр", "тр", "св", "бр" };
static const char *const vo_rus[] = { "а", "а", "е", "е", "и", "и", "о", "о", "у", "ы", "я", "ю", "ё" };
static const char *const end_rus[] = { "", "ов", "ая", "ий", "ость", "ение", "ать", "ый", "ой", "ами", "ах", "ого",
	"ему", "ую" };
static const char *const on_eng[] = { "", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w",
	"st", "pr", "tr", "br", "cl", "gr", "sh", "ch", "th" };
static const char *const vo_eng[] = { "a", "e", "i", "o", "u", "ea", "ou", "ai", "oo" };
static const char *const end_eng[] = { "", "s", "ed", "ing", "er", "tion", "ly", "ment", "ness", "al" };

static const struct sounds {
	const char *const *on, *const *vo, *const *end;
	unsigned non, nvo, nend;
} sounds[NLANG] = {
#define SOUNDS(x) { on_##x, vo_##x, end_##x, N_OF(on_##x), N_OF(vo_##x), N_OF(end_##x) }
	SOUNDS(lav), SOUNDS(lit), SOUNDS(rus), SOUNDS(eng),
#undef SOUNDS
};

static const char *const *const func[NLANG] = { func_lav, func_lit, func_rus, func_eng };
static const size_t func_n[NLANG] = { N_OF(func_lav), N_OF(func_lit), N_OF(func_rus), N_OF(func_eng) };
static const char *const *const domain[NLANG] = { vocab_lav, vocab_lit, vocab_rus, vocab_eng };
static const size_t domain_n[NLANG] = { N_OF(vocab_lav), N_OF(vocab_lit), N_OF(vocab_rus), N_OF(vocab_eng) };

enum { TAIL_WORDS = 20000 };	/* made-up words per language */

/* Each language's words by rank: the commonest words, then the words of the
 * domain each followed by three made-up words, then the rest of those. */
static char **vocab[NLANG];
static size_t vocab_n[NLANG];
static double *zipf_cum[NLANG];	/* cumulative weights 1/rank */

static char *made_up_word(int l, unsigned k)
{
	uint64_t s = ((uint64_t)l << 32) ^ k ^ 0xA5A5A5A5ull;
	const struct sounds *w = &sounds[l];
	char buf[96] = "";
	int syl = 2 + (int)below(&s, 2);

	for (int i = 0; i < syl; i++) {
		strcat(buf, w->on[below(&s, w->non)]);
		strcat(buf, w->vo[below(&s, w->nvo)]);
	}
	strcat(buf, w->end[below(&s, w->nend)]);
	return strdup(buf);
}

static void zipf_init(void)
{
	for (int l = 0; l < NLANG; l++) {
		size_t n = 0, d = 0, t = 0, cap = func_n[l] + domain_n[l] + TAIL_WORDS;
		double sum = 0;

		vocab[l] = malloc(cap * sizeof(char *));
		zipf_cum[l] = malloc(cap * sizeof(double));
		if (vocab[l] == NULL || zipf_cum[l] == NULL)
			abort();
		for (size_t i = 0; i < func_n[l]; i++)
			vocab[l][n++] = strdup(func[l][i]);
		while (d < domain_n[l] || t < TAIL_WORDS) {
			if (d < domain_n[l] && (t >= TAIL_WORDS || t >= 3 * d))
				vocab[l][n++] = strdup(domain[l][d++]);
			else
				vocab[l][n++] = made_up_word(l, (unsigned)t++);
		}
		vocab_n[l] = n;
		for (size_t i = 0; i < n; i++)
			zipf_cum[l][i] = (sum += 1.0 / (double)(i + 1));
	}
}

static const char *zipf_word(uint64_t *s, int l)
{
	double x = (double)(splitmix(s) >> 11) / 9007199254740992.0 * zipf_cum[l][vocab_n[l] - 1];
	size_t lo = 0, hi = vocab_n[l] - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (zipf_cum[l][mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[l][lo];
}

/* ------------------------------------------------------------- names */

/* Surnames: stem + ending, per group; the Russian group in Cyrillic. */
static const char *const lv_stem[] = {
	"Bērz", "Kaln", "Ozol", "Liep", "Krūm", "Zar", "Vītol", "Egl", "Kļav", "Sproģ", "Dūm", "Strautiņ",
	"Priedīt", "Lapiņ", "Ābol", "Rozīt", "Jaunzem", "Sīl", "Grīnberg", "Kārkliņ", "Vilc", "Pētersons",
	"Balod", "Lūs", "Celm", "Zeltiņ", "Rudzīt", "Dzen", "Avot", "Briež",
};
static const char *const lv_end[] = { "iņš", "iņa", "s", "e", "a", "ītis", "īte", "kalns" };
static const char *const lt_stem[] = {
	"Kazl", "Jank", "Petr", "Žuk", "Stank", "Vasil", "Paul", "Butk", "Urbon", "Grigal", "Balčiūn",
	"Mockev", "Šimkev", "Navick", "Ramanausk", "Kavaliausk", "Rimk", "Žemait", "Sadausk", "Jonait",
	"Lukoševič", "Mažeik", "Kairy", "Bart", "Norvaiš",
};
static const char *const lt_end[] = { "auskas", "auskienė", "evičius", "aitė", "ys", "as", "ienė", "ūtė" };
static const char *const ru_stem[] = {
	"Иван", "Петр", "Смирн", "Кузнец", "Поп", "Ковал", "Ткач", "Шевч", "Бондар", "Мельник", "Соколов",
	"Лебед", "Козл", "Новик", "Морозов", "Волк", "Зайц", "Павл", "Семён", "Голуб", "Виноград", "Богдан",
	"Воробь", "Фёдор", "Михайл", "Беляк", "Тарас", "Бел", "Комар", "Орл",
};
static const char *const ru_end[] = { "ов", "ова", "ин", "ина", "енко", "ук", "ский", "ская" };
static const char *const en_surname[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
	"Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Ashdown", "Ellison", "Fletcher", "Holloway", "Pemberton", "Whitaker", "Blackwood", "Hargreaves",
};
/* Applicants from abroad, written in Latin letters (their passports) and in Cyrillic. */
static const char *const foreign_lat[] = {
	"Karimi", "Nazari", "Ahmadi", "Hosseini", "Rahimi", "Mammadova", "Aliyev", "Huseynov", "Tkachenko",
	"Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Singh", "Kumar", "Khan", "Nguyen", "Yilmaz",
	"Beridze", "Karimov", "Rakhimov", "Sultanova",
};
static const char *const foreign_cyr[] = {
	"Карими", "Назари", "Ахмади", "Хоссейни", "Рахими", "Мамедова", "Алиев", "Гусейнов", "Ткаченко",
	"Коваленко", "Шевченко", "Бондаренко", "Мельник", "Сингх", "Кумар", "Хан", "Нгуен", "Йылмаз",
	"Беридзе", "Каримов", "Рахимов", "Султанова",
};
static const char *const given_lat[] = {
	"Ahmad", "Farid", "Leyla", "Oleg", "Iryna", "Natalia", "Jānis", "Anna", "Ilze", "Pēteris", "Jonas",
	"Rūta", "Tomas", "Eglė", "Andrius", "John", "Mary", "David", "Sarah", "Ali", "Fatima", "Rustam",
	"Aziz", "Dilnoza", "Giorgi", "Nino", "Raj", "Priya", "Mehmet", "Ayşe",
};
static const char *const given_cyr[] = {
	"Олег", "Ирина", "Наталья", "Сергей", "Андрей", "Елена", "Ольга", "Дмитрий", "Алексей", "Татьяна",
	"Юлия", "Пётр", "Игорь", "Светлана", "Ахмад", "Фарид", "Лейла", "Рустам", "Азиз", "Дильноза",
};

/* A surname of a language group, and the same person's given name. */
static void make_name(uint64_t *s, int lang, char *surname, size_t ss, char *given, size_t gs)
{
	unsigned r = below(s, 100);

	if (lang == RUS) {
		if (r < 35)
			snprintf(surname, ss, "%s", PICK(s, foreign_cyr));
		else
			snprintf(surname, ss, "%s%s", PICK(s, ru_stem), PICK(s, ru_end));
		snprintf(given, gs, "%s", PICK(s, given_cyr));
		return;
	}
	if (r < 35)
		snprintf(surname, ss, "%s", PICK(s, foreign_lat));
	else if (lang == LAV)
		snprintf(surname, ss, "%s%s", PICK(s, lv_stem), PICK(s, lv_end));
	else if (lang == LIT)
		snprintf(surname, ss, "%s%s", PICK(s, lt_stem), PICK(s, lt_end));
	else
		snprintf(surname, ss, "%s", PICK(s, en_surname));
	snprintf(given, gs, "%s", PICK(s, given_lat));
}

/* ------------------------------------------------------------- documents and pages */

typedef struct date {
	int y, m, d;
} date;

/* The fields of one document, made from its number. */
typedef struct bdoc {
	long long id;
	int lang, type;
	char case_number[48], pcode[32], batch[32];
	char surname[2][64], given[2][64], fullname[2][140];
	int nnames;
	date dates[4];
	int ndates;
	char iso[4][16];
} bdoc;

/* Pages are numbered 0..N-1 across the archive, two to a document. */
static long long doc_of(long long page) { return page / 2; }
static int page_in_doc(long long page) { return (int)(page % 2) + 1; }

static void make_doc(long long id, bdoc *d)
{
	uint64_t s = seed((uint64_t)id, 1);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int by, bm, bd;

	memset(d, 0, sizeof *d);
	d->id = id;
	d->lang = (int)(id % NLANG);
	d->type = (int)below(&s, NTYPE);
	d->ndates = 2 + (int)below(&s, 3);
	for (int i = 0; i < d->ndates; i++) {
		d->dates[i].y = 1995 + (int)below(&s, 30);
		d->dates[i].m = 1 + (int)below(&s, 12);
		d->dates[i].d = 1 + (int)below(&s, (unsigned)mdays[d->dates[i].m - 1]);
		snprintf(d->iso[i], sizeof d->iso[i], "%04d-%02d-%02d", d->dates[i].y % 10000, d->dates[i].m % 100,
			 d->dates[i].d % 100);
	}
	if (d->lang == LIT)
		snprintf(d->case_number, sizeof d->case_number, "MD-LT-%04d-%06lld", d->dates[0].y, id % 1000000);
	else
		snprintf(d->case_number, sizeof d->case_number, "PMLP-LV-%04d-%06lld", d->dates[0].y, id % 1000000);
	by = 1950 + (int)below(&s, 55);
	bm = 1 + (int)below(&s, 12);
	bd = 1 + (int)below(&s, 28);
	if (d->lang == LIT)
		snprintf(d->pcode, sizeof d->pcode, "%d%02d%02d%02d%04u", by < 2000 ? 3 + (int)below(&s, 2) : 5,
			 by % 100, bm, bd, below(&s, 10000));
	else
		snprintf(d->pcode, sizeof d->pcode, "%02d%02d%02d-%d%04u", bd, bm, by % 100, by < 2000 ? 1 : 2,
			 below(&s, 10000));
	snprintf(d->batch, sizeof d->batch, "B-%04d-%02d", d->dates[0].y, d->dates[0].m);
	d->nnames = 1 + (below(&s, 4) == 0);
	for (int i = 0; i < d->nnames; i++) {
		make_name(&s, d->lang, d->surname[i], sizeof d->surname[i], d->given[i], sizeof d->given[i]);
		snprintf(d->fullname[i], sizeof d->fullname[i], "%s %s", d->given[i], d->surname[i]);
	}
}

/* A growing string (the core's kt_buf); out of memory ends the benchmark. */
typedef kt_buf buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	if (rc != KT_OK)
		abort();
}

static const char *const month_lav[] = { "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā",
	"augustā", "septembrī", "oktobrī", "novembrī", "decembrī" };
static const char *const month_lit[] = { "sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos",
	"rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio" };
static const char *const month_rus[] = { "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
	"сентября", "октября", "ноября", "декабря" };
static const char *const month_eng[] = { "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December" };

/* A date as written in running text of a language, or as dd.mm.yyyy. */
static void add_date(buf *b, uint64_t *s, int lang, date t)
{
	if (below(s, 3) == 0) {
		add(b, "%02d.%02d.%04d", t.d, t.m, t.y);
		return;
	}
	switch (lang) {
	case LAV: add(b, "%d. gada %d. %s", t.y, t.d, month_lav[t.m - 1]); break;
	case LIT: add(b, "%d m. %s %d d.", t.y, month_lit[t.m - 1], t.d); break;
	case RUS: add(b, "%d %s %d г.", t.d, month_rus[t.m - 1], t.y); break;
	default: add(b, "%d %s %d", t.d, month_eng[t.m - 1], t.y); break;
	}
}

static const char *const l_case[NLANG] = { "Lietas Nr.", "Bylos Nr.", "Дело №", "Case No." };
static const char *const l_pc[NLANG] = { "personas kods", "asmens kodas", "персональный код", "personal code" };
static const char *const l_appl[NLANG] = { "Iesniedzējs:", "Pareiškėjas:", "Заявитель:", "Applicant:" };
static const char *const l_page[NLANG] = { "lapa", "puslapis", "страница", "page" };

/* The text of one page (b->len = 0 first). */
static void make_page_text(const bdoc *d, int pno, long long page, buf *b)
{
	uint64_t s = seed((uint64_t)page, 2);
	int l = d->lang, words = 150 + (int)below(&s, 151), n = 0;

	kt_buf_truncate(b, 0);
	if (pno == 1) {
		add(b, "%s\n\n%s\n\n", office[l], heading[l][d->type]);
		add_date(b, &s, l, d->dates[0]);
		add(b, "\n%s %s\n\n%s %s %s, %s %s\n", l_case[l], d->case_number, l_appl[l],
		    l == RUS ? d->surname[0] : d->given[0], l == RUS ? d->given[0] : d->surname[0], l_pc[l],
		    d->pcode);
		n = 20;
	} else {
		add(b, "%s %s, %d. %s\n\n", l_case[l], d->case_number, pno, l_page[l]);
		n = 6;
	}
	while (n < words) {
		int len = 6 + (int)below(&s, 10);

		for (int i = 0; i < len; i++) {
			unsigned r = below(&s, 60);

			if (r == 0 && d->ndates > 1) {
				add(b, i ? " " : "");
				add_date(b, &s, l, d->dates[1 + below(&s, (unsigned)d->ndates - 1)]);
				n += 3;
			} else if (r == 1) {
				int k = (int)below(&s, (unsigned)d->nnames);

				add(b, "%s%s", i ? " " : "", d->surname[k]);
				n++;
			} else {
				add(b, "%s%s", i ? " " : "", zipf_word(&s, l));
				n++;
			}
		}
		add(b, below(&s, 4) == 0 ? ".\n" : ". ");
	}
	add(b, "\n");
}

/* ------------------------------------------------------------- helpers */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: what a query costs, whatever else the machine runs. */
static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long max_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void page_path(const char *dir, long long page, char *out, size_t size)
{
	snprintf(out, size, "%s/%04lld/%07lld.txt", dir, page / 1000, page);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

/* ------------------------------------------------------------- gen */

static int cmd_gen(const char *dir, long long n)
{
	buf b = KT_BUF_INIT;
	char path[4096];
	double t0 = now();
	long long bytes = 0;
	bdoc d;

	mkdir(dir, 0755);
	for (long long p = 0; p < n; p++) {
		FILE *f;

		if (p % 1000 == 0) {
			snprintf(path, sizeof path, "%s/%04lld", dir, p / 1000);
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				perror(path);
				return 2;
			}
		}
		make_doc(doc_of(p), &d);
		make_page_text(&d, page_in_doc(p), p, &b);
		page_path(dir, p, path, sizeof path);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(kt_buf_cstr(&b), 1, b.len, f) != b.len || fclose(f) != 0) {
			perror(path);
			return 2;
		}
		bytes += (long long)b.len;
	}
	printf("gen: %lld pages, %.1f MB of text (%.0f bytes a page), %.1f s\n", n, (double)bytes / 1e6,
	       (double)bytes / (double)(n ? n : 1), now() - t0);
	kt_buf_release(&b);
	return 0;
}

/* ------------------------------------------------------------- index */

static int cmd_index(const char *db, const char *dir, long long n, long long batch)
{
	kt_index *ix = kt_index_new();
	double t0 = now(), tread = 0, last = t0;
	char path[4096];
	bdoc d;

	if (ix == NULL || kt_index_open(ix, db, 1) != KT_OK) {
		fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
		return 2;
	}
	for (long long p = 0; p < n; p++) {
		const char *dates[4], *names[2], *cases[1], *codes[1];
		double tr = now();
		size_t len = 0;
		char *text;

		page_path(dir, p, path, sizeof path);
		text = read_all(path, &len);
		if (text == NULL) {
			perror(path);
			return 2;
		}
		tread += now() - tr;
		make_doc(doc_of(p), &d);
		for (int i = 0; i < d.ndates; i++)
			dates[i] = d.iso[i];
		for (int i = 0; i < d.nnames; i++)
			names[i] = d.fullname[i];
		cases[0] = d.case_number;
		codes[0] = d.pcode;
		kt_index_page pg = {
			.doc_id = d.id, .page = page_in_doc(p), .text = text, .lang = lang_code[d.lang],
			.doc_type = type_name[d.type], .batch = d.batch,
			.case_numbers = cases, .n_case_numbers = 1,
			.personal_codes = codes, .n_personal_codes = 1,
			.dates = dates, .n_dates = d.ndates,
			.names = names, .n_names = d.nnames,
		};
		if (kt_index_put_page(ix, &pg) < 0) {
			fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
			return 2;
		}
		free(text);
		if ((p + 1) % batch == 0 || p + 1 == n) {
			if (kt_index_commit(ix) != KT_OK) {
				fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
				return 2;
			}
			if (now() - last > 60 || p + 1 == n) {
				last = now();
				fprintf(stderr, "index: %lld pages, %.0f s, %.0f pages/s\n", p + 1, last - t0,
					(double)(p + 1) / (last - t0));
			}
		}
	}
	kt_index_free(&ix);
	{
		double t = now() - t0;

		printf("index: %lld pages in %.1f s (%.1f s reading files): %.0f pages/s; commit every %lld; "
		       "peak RSS %.0f MiB\n",
		       n, t, tread, (double)n / t, batch, (double)max_rss_kib() / 1024.0);
	}
	return 0;
}

/* ------------------------------------------------------------- query */

typedef struct bquery {
	const char *kind;
	char q[256];
	long long total;	/* matches, from the last run */
	double *ms, *cpu;	/* wall and CPU milliseconds of each round */
} bquery;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-quantile of v (sorted in place), nearest rank. */
static double percentile(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* The fixed mix: words (common, rare, without diacritics, across scripts),
 * phrases, fields and date ranges; the fields of a few documents of the index. */
static int make_queries(long long npages, bquery *qs, int max)
{
	static const struct {
		const char *kind, *q;
	} fixed[] = {
		{ "word", "lēmums" }, { "word", "lemums" }, { "word", "sprendimas" }, { "word", "решение" },
		{ "word", "decision" }, { "word", "Kovalenko" }, { "word", "Коваленко" }, { "word", "Karimi" },
		{ "word", "zukauskas" }, { "word", "Bērziņa" }, { "word", "termiņuzturēšanās atļauju" },
		{ "word", "Shevchenko Oleg" }, { "word", "refugee status Afghanistan" },
		{ "word", "prieglobsčio prašytojas" }, { "word", "Mamedova NOT Leyla" },
		{ "phrase", "\"uzturēšanās atļaujas\"" }, { "phrase", "\"residence permit\"" },
		{ "phrase", "\"вид на жительство\"" }, { "phrase", "\"leidimo gyventi\"" },
		{ "phrase", "\"health insurance policy\"" }, { "phrase", "\"Oleg Kovalenko\"" },
		{ "field", "type:decision Karimi" }, { "field", "lang:lit prašymas" }, { "field", "name:kovalenko" },
		{ "field", "name:Žukauskas" }, { "field", "type:interview lang:rus" }, { "field", "batch:B-2021-07" },
		{ "date", "date:2021-01-01..2021-12-31 Karimi" }, { "date", "date:2019-03..2019-05 lēmums" },
		{ "date", "date:2020 type:decision" }, { "date", "date:2018-06-15..2019-02-10 Коваленко" },
		{ "date", "date:..1996-12-31 refugee" }, { "date", "date:2023-02-02" },
	};
	int n = 0;

	for (size_t i = 0; i < N_OF(fixed) && n < max; i++, n++) {
		qs[n].kind = fixed[i].kind;
		snprintf(qs[n].q, sizeof qs[n].q, "%s", fixed[i].q);
	}
	/* Case numbers, personal codes (with and without the hyphen) and names of
	 * documents spread over the index. */
	for (int k = 1; k <= 4 && n + 4 <= max; k++) {
		bdoc d;
		char plain[32];
		size_t j = 0;

		make_doc(doc_of(npages * k / 5), &d);
		for (const char *c = d.pcode; *c && j + 1 < sizeof plain; c++)
			if (*c != '-')
				plain[j++] = *c;
		plain[j] = '\0';
		qs[n].kind = "field";
		snprintf(qs[n].q, sizeof qs[n].q, "case:%s", d.case_number);
		qs[n + 1].kind = "field";
		snprintf(qs[n + 1].q, sizeof qs[n + 1].q, "pc:%s", d.pcode);
		qs[n + 2].kind = "field";
		snprintf(qs[n + 2].q, sizeof qs[n + 2].q, "pc:%s", plain);
		qs[n + 3].kind = "word";
		snprintf(qs[n + 3].q, sizeof qs[n + 3].q, "%s", d.case_number);
		n += 4;
	}
	return n;
}

static void report(const char *label, double *wall, double *cpu, size_t n)
{
	double w50 = percentile(wall, n, 0.50), w99 = percentile(wall, n, 0.99);
	double c50 = percentile(cpu, n, 0.50), c99 = percentile(cpu, n, 0.99), cmax = n ? cpu[n - 1] : 0;

	printf("  %-7s %5zu runs  CPU p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms | wall p50 %7.2f ms  p99 %7.2f ms\n",
	       label, n, c50, c99, cmax, w50, w99);
}

/* One timed search; KT_OK or the failure printed. */
static int timed(kt_index *ix, const char *q, unsigned flags, double *wall, double *cpu, long long *total)
{
	kt_index_hits *h = NULL;
	double t0 = now(), c0 = cpu_now();

	if (kt_index_search_ex(ix, q, 0, 20, flags, &h) != KT_OK) {
		fprintf(stderr, "query '%s': %s\n", q, kt_index_errmsg(ix));
		return KT_FAILED;
	}
	*cpu = (cpu_now() - c0) * 1000;
	*wall = (now() - t0) * 1000;
	*total = h->estimated_total;
	kt_index_hits_free(&h);
	return KT_OK;
}

static int cmd_query(const char *db, long long npages, int rounds)
{
	kt_index *ix = kt_index_new();
	bquery qs[64];
	int nq = make_queries(npages, qs, 64);
	size_t cap = (size_t)nq * (size_t)rounds, nall = 0;
	double *all = malloc(cap * sizeof(double)), *allc = malloc(cap * sizeof(double));
	double *kind = malloc(cap * sizeof(double)), *kindc = malloc(cap * sizeof(double));
	static const char *const kinds[] = { "word", "phrase", "field", "date" };

	if (ix == NULL || kt_index_open(ix, db, 0) != KT_OK) {
		fprintf(stderr, "query: %s\n", kt_index_errmsg(ix));
		return 2;
	}
	if (all == NULL || allc == NULL || kind == NULL || kindc == NULL)
		return 2;
	for (int i = 0; i < nq; i++) {
		qs[i].ms = malloc((size_t)rounds * sizeof(double));
		qs[i].cpu = malloc((size_t)rounds * sizeof(double));
	}
	/* One round to warm the caches, not counted. */
	for (int r = -1; r < rounds; r++) {
		for (int i = 0; i < nq; i++) {
			double w, c;

			if (timed(ix, qs[i].q, 0, &w, &c, &qs[i].total) != KT_OK)
				return 2;
			if (r >= 0) {
				qs[i].ms[r] = all[nall] = w;
				qs[i].cpu[r] = allc[nall++] = c;
			}
		}
	}
	printf("query: %lld pages, %d queries x %d rounds (after one warm-up round), 20 hits with snippets each\n",
	       (long long)kt_index_doc_count(ix), nq, rounds);
	printf("  kind   CPU p50  CPU p99 wall p50   matches  query\n");
	for (int i = 0; i < nq; i++) {
		double w50 = percentile(qs[i].ms, (size_t)rounds, 0.5);
		double c50 = percentile(qs[i].cpu, (size_t)rounds, 0.5), c99 = percentile(qs[i].cpu, (size_t)rounds, 0.99);

		printf("  %-6s %7.2f  %7.2f  %7.2f %9lld  %s\n", qs[i].kind, c50, c99, w50, qs[i].total, qs[i].q);
	}
	for (size_t k = 0; k < N_OF(kinds); k++) {
		size_t nk = 0;

		for (int i = 0; i < nq; i++)
			if (strcmp(qs[i].kind, kinds[k]) == 0)
				for (int r = 0; r < rounds; r++) {
					kind[nk] = qs[i].ms[r];
					kindc[nk++] = qs[i].cpu[r];
				}
		report(kinds[k], kind, kindc, nk);
	}
	report("all", all, allc, nall);

	/* Facets count over every match: timed apart, they are not in the mix. */
	{
		static const char *const fq[] = { "Kovalenko", "lēmums", "date:2021", "type:decision", "decision" };
		double fw[N_OF(fq) * 5], fc[N_OF(fq) * 5];
		size_t nf = 0;

		for (size_t i = 0; i < N_OF(fq); i++) {
			long long total = 0;

			for (int r = 0; r < 5; r++, nf++)
				if (timed(ix, fq[i], KT_INDEX_FACETS, &fw[nf], &fc[nf], &total) != KT_OK)
					return 2;
			printf("  facets %7.2f ms CPU %9lld matches  %s\n", fc[nf - 1], total, fq[i]);
		}
		report("facets", fw, fc, nf);
	}
	printf("query: peak RSS %.0f MiB\n", (double)max_rss_kib() / 1024.0);
	for (int i = 0; i < nq; i++) {
		free(qs[i].ms);
		free(qs[i].cpu);
	}
	free(all);
	free(allc);
	free(kind);
	free(kindc);
	kt_index_free(&ix);
	return 0;
}

/* ------------------------------------------------------------- exec */

static int cmd_exec(char **argv)
{
	const char *name = argv[0];
	double t0;
	struct rusage ru;
	int status = 0;
	pid_t pid;

	if (argv[0] != NULL && strcmp(argv[0], "--as") == 0 && argv[1] != NULL && argv[2] != NULL) {
		name = argv[1];
		argv += 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 2;
	printf("exec: %s: %.1f s, user %.1f s, sys %.1f s, peak RSS %.0f MiB, exit %d\n", name, now() - t0,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, (double)ru.ru_maxrss / 1024.0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	zipf_init();
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], atoll(argv[3]));
	if (argc >= 5 && strcmp(argv[1], "index") == 0)
		return cmd_index(argv[2], argv[3], atoll(argv[4]), argc > 5 ? atoll(argv[5]) : 10000);
	if (argc >= 4 && strcmp(argv[1], "query") == 0)
		return cmd_query(argv[2], atoll(argv[3]), argc > 4 ? atoi(argv[4]) : 20);
	if (argc >= 3 && strcmp(argv[1], "exec") == 0)
		return cmd_exec(argv + 2);
	fprintf(stderr, "usage: kt_bench_search gen FILES N | index DB FILES N [BATCH] | query DB N [ROUNDS] | "
			"exec [--as NAME] CMD ARGS...\n");
	return 2;
}
