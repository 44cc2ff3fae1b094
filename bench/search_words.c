/*
 * search_words.c - the words of kt_bench_search's synthetic pages: for each
 * language 30 common words, then about 200 words of the domain each followed
 * by three made-up words, then the rest of 20000 made-up words from the
 * language's sounds, drawn with Zipf frequencies (1/rank); and names (Latin
 * in three languages, Cyrillic in Russian), surnames made from stems and
 * endings so there are thousands of them.
 */
#include "search_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- vocabularies */

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

void zipf_init(void)
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

const char *zipf_word(uint64_t *s, int l)
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
void make_name(uint64_t *s, int lang, char *surname, size_t ss, char *given, size_t gs)
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
