/* crm_vocab.h: the vocabulary of the issue-4 benchmark data (gen_candidates, search_bench) */
#ifndef HEARTH_BENCH_CRM_VOCAB_H
#define HEARTH_BENCH_CRM_VOCAB_H

/*
 * Tables only, shared by the generator and the search benchmark so that
 * the queries ask for words, tags and places the data holds (and some it
 * does not). Lists are in order of frequency: the generator draws from
 * them with a Zipf-like skew, so the first entries are the common ones.
 */

#include <stddef.h>

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* A name as written, and as it appears in an email address. */
struct bv_name {
	const char *s, *ascii;
};

/* A place: city (empty for a country only), country, dialling code. */
struct bv_place {
	const char *city, *country, *dial;
};

/*
 * A culture of names: first and last names, where its people mostly live
 * (indexes into bv_places), whether the family name comes first and
 * whether the two parts are written without a space (Chinese, Korean).
 */
struct bv_culture {
	const char *id;
	unsigned weight;	/* relative share of candidates */
	const struct bv_name *first, *last;
	size_t nfirst, nlast;
	const unsigned *home;
	size_t nhome;
	int family_first, no_space;
	/* The long tail of family names: a prefix and a suffix put together
	 * (each list's own order), for tail_pct of the culture's people. */
	const struct bv_name *ta, *tb;
	size_t nta, ntb;
	unsigned tail_pct;
};

static const struct bv_place bv_places[] = {
	/* 0 */ { "London", "United Kingdom", "+44" },
	{ "Manchester", "United Kingdom", "+44" },
	{ "Edinburgh", "United Kingdom", "+44" },
	{ "New York", "United States", "+1" },
	{ "San Francisco", "United States", "+1" },
	/* 5 */ { "Austin", "United States", "+1" },
	{ "Chicago", "United States", "+1" },
	{ "Toronto", "Canada", "+1" },
	{ "Montréal", "Canada", "+1" },
	{ "Berlin", "Germany", "+49" },
	/* 10 */ { "München", "Germany", "+49" },
	{ "Hamburg", "Germany", "+49" },
	{ "Paris", "France", "+33" },
	{ "Lyon", "France", "+33" },
	{ "Madrid", "Spain", "+34" },
	/* 15 */ { "Barcelona", "Spain", "+34" },
	{ "Lisbon", "Portugal", "+351" },
	{ "Porto", "Portugal", "+351" },
	{ "São Paulo", "Brazil", "+55" },
	{ "Rio de Janeiro", "Brazil", "+55" },
	/* 20 */ { "Ciudad de México", "Mexico", "+52" },
	{ "Buenos Aires", "Argentina", "+54" },
	{ "Warszawa", "Poland", "+48" },
	{ "Kraków", "Poland", "+48" },
	{ "Stockholm", "Sweden", "+46" },
	/* 25 */ { "København", "Denmark", "+45" },
	{ "Oslo", "Norway", "+47" },
	{ "İstanbul", "Türkiye", "+90" },
	{ "Bengaluru", "India", "+91" },
	{ "Mumbai", "India", "+91" },
	/* 30 */ { "Pune", "India", "+91" },
	{ "Shanghai", "China", "+86" },
	{ "Beijing", "China", "+86" },
	{ "Shenzhen", "China", "+86" },
	{ "Tokyo", "Japan", "+81" },
	/* 35 */ { "Osaka", "Japan", "+81" },
	{ "Seoul", "South Korea", "+82" },
	{ "Lagos", "Nigeria", "+234" },
	{ "Nairobi", "Kenya", "+254" },
	{ "Cairo", "Egypt", "+20" },
	/* 40 */ { "Dubai", "United Arab Emirates", "+971" },
	{ "Kyiv", "Ukraine", "+380" },
	{ "Athens", "Greece", "+30" },
	{ "Hanoi", "Vietnam", "+84" },
	{ "Ho Chi Minh City", "Vietnam", "+84" },
	/* 45 */ { "Singapore", "Singapore", "+65" },
	{ "Sydney", "Australia", "+61" },
	{ "Amsterdam", "Netherlands", "+31" },
	{ "Dublin", "Ireland", "+353" },
	{ "Zürich", "Switzerland", "+41" },
	/* 50 */ { "Milano", "Italy", "+39" },
	{ "Roma", "Italy", "+39" },
	{ "Tel Aviv", "Israel", "+972" },
	{ "Riyadh", "Saudi Arabia", "+966" },
	{ "Tallinn", "Estonia", "+372" },
};

static const struct bv_name bv_en_first[] = {
	{ "James", "james" }, { "Emma", "emma" }, { "Oliver", "oliver" },
	{ "Olivia", "olivia" }, { "Michael", "michael" }, { "Sarah", "sarah" },
	{ "David", "david" }, { "Jessica", "jessica" }, { "Daniel", "daniel" },
	{ "Emily", "emily" }, { "Thomas", "thomas" }, { "Hannah", "hannah" },
	{ "Matthew", "matthew" }, { "Charlotte", "charlotte" }, { "Ryan", "ryan" },
	{ "Sophie", "sophie" }, { "Chris", "chris" }, { "Laura", "laura" },
	{ "Jack", "jack" }, { "Rachel", "rachel" }, { "Andrew", "andrew" },
	{ "Megan", "megan" }, { "Joshua", "joshua" }, { "Amy", "amy" },
	{ "Benjamin", "benjamin" }, { "Grace", "grace" }, { "Samuel", "samuel" },
	{ "Lucy", "lucy" }, { "Nathan", "nathan" }, { "Zoe", "zoe" },
	{ "Ethan", "ethan" }, { "Abigail", "abigail" }, { "Connor", "connor" },
	{ "Madison", "madison" }, { "Tyler", "tyler" }, { "Chloe", "chloe" },
};
static const struct bv_name bv_en_last[] = {
	{ "Smith", "smith" }, { "Johnson", "johnson" }, { "Williams", "williams" },
	{ "Brown", "brown" }, { "Jones", "jones" }, { "Taylor", "taylor" },
	{ "Davies", "davies" }, { "Miller", "miller" }, { "Wilson", "wilson" },
	{ "Evans", "evans" }, { "Thomas", "thomas" }, { "Roberts", "roberts" },
	{ "Walker", "walker" }, { "Wright", "wright" }, { "Thompson", "thompson" },
	{ "White", "white" }, { "Hughes", "hughes" }, { "Edwards", "edwards" },
	{ "Green", "green" }, { "Hall", "hall" }, { "Wood", "wood" },
	{ "Harris", "harris" }, { "Clarke", "clarke" }, { "Jackson", "jackson" },
	{ "O'Brien", "obrien" }, { "Murphy", "murphy" }, { "Kelly", "kelly" },
	{ "Campbell", "campbell" }, { "Stewart", "stewart" }, { "Anderson", "anderson" },
	{ "Baker", "baker" }, { "Cooper", "cooper" }, { "Morgan", "morgan" },
	{ "Bennett", "bennett" }, { "Fletcher", "fletcher" }, { "Lovelace", "lovelace" },
};
static const unsigned bv_en_home[] = { 0, 1, 2, 3, 4, 5, 6, 7, 46, 48 };

static const struct bv_name bv_es_first[] = {
	{ "María", "maria" }, { "José", "jose" }, { "Lucía", "lucia" },
	{ "Javier", "javier" }, { "Sofía", "sofia" }, { "Alejandro", "alejandro" },
	{ "Carmen", "carmen" }, { "Andrés", "andres" }, { "Valentina", "valentina" },
	{ "Diego", "diego" }, { "Ana", "ana" }, { "Pablo", "pablo" },
	{ "Laura", "laura" }, { "Sergio", "sergio" }, { "Inés", "ines" },
	{ "Martín", "martin" }, { "Camila", "camila" }, { "Raúl", "raul" },
	{ "Elena", "elena" }, { "Jesús", "jesus" }, { "Paula", "paula" },
	{ "Íñigo", "inigo" }, { "Ximena", "ximena" }, { "Álvaro", "alvaro" },
};
static const struct bv_name bv_es_last[] = {
	{ "García", "garcia" }, { "Rodríguez", "rodriguez" }, { "González", "gonzalez" },
	{ "Fernández", "fernandez" }, { "López", "lopez" }, { "Martínez", "martinez" },
	{ "Sánchez", "sanchez" }, { "Pérez", "perez" }, { "Gómez", "gomez" },
	{ "Martín", "martin" }, { "Jiménez", "jimenez" }, { "Ruiz", "ruiz" },
	{ "Hernández", "hernandez" }, { "Díaz", "diaz" }, { "Moreno", "moreno" },
	{ "Muñoz", "munoz" }, { "Álvarez", "alvarez" }, { "Romero", "romero" },
	{ "Núñez", "nunez" }, { "Ibáñez", "ibanez" }, { "Castillo", "castillo" },
	{ "de la Cruz", "delacruz" }, { "Ortega", "ortega" }, { "Vázquez", "vazquez" },
};
static const unsigned bv_es_home[] = { 14, 15, 20, 21, 3, 5 };

static const struct bv_name bv_pt_first[] = {
	{ "João", "joao" }, { "Ana", "ana" }, { "Pedro", "pedro" },
	{ "Beatriz", "beatriz" }, { "Lucas", "lucas" }, { "Mariana", "mariana" },
	{ "Gonçalo", "goncalo" }, { "Inês", "ines" }, { "Tiago", "tiago" },
	{ "Júlia", "julia" }, { "Rafael", "rafael" }, { "Leonor", "leonor" },
	{ "Matheus", "matheus" }, { "Letícia", "leticia" }, { "Caio", "caio" },
};
static const struct bv_name bv_pt_last[] = {
	{ "Silva", "silva" }, { "Santos", "santos" }, { "Ferreira", "ferreira" },
	{ "Pereira", "pereira" }, { "Oliveira", "oliveira" }, { "Costa", "costa" },
	{ "Rodrigues", "rodrigues" }, { "Martins", "martins" }, { "Gonçalves", "goncalves" },
	{ "Sousa", "sousa" }, { "Araújo", "araujo" }, { "Conceição", "conceicao" },
	{ "Magalhães", "magalhaes" }, { "Lima", "lima" }, { "Carvalho", "carvalho" },
};
static const unsigned bv_pt_home[] = { 16, 17, 18, 19 };

static const struct bv_name bv_fr_first[] = {
	{ "Camille", "camille" }, { "Louis", "louis" }, { "Émilie", "emilie" },
	{ "François", "francois" }, { "Hélène", "helene" }, { "Julien", "julien" },
	{ "Chloé", "chloe" }, { "Mathieu", "mathieu" }, { "Léa", "lea" },
	{ "Nicolas", "nicolas" }, { "Manon", "manon" }, { "Jérôme", "jerome" },
	{ "Zoé", "zoe" }, { "Antoine", "antoine" }, { "Anaïs", "anais" },
};
static const struct bv_name bv_fr_last[] = {
	{ "Martin", "martin" }, { "Bernard", "bernard" }, { "Dubois", "dubois" },
	{ "Thomas", "thomas" }, { "Robert", "robert" }, { "Richard", "richard" },
	{ "Petit", "petit" }, { "Durand", "durand" }, { "Leroy", "leroy" },
	{ "Moreau", "moreau" }, { "Lefèvre", "lefevre" }, { "Girard", "girard" },
	{ "Bonnet", "bonnet" }, { "Lambert", "lambert" }, { "Faure", "faure" },
};
static const unsigned bv_fr_home[] = { 12, 13, 8, 49 };

static const struct bv_name bv_de_first[] = {
	{ "Lukas", "lukas" }, { "Anna", "anna" }, { "Jürgen", "juergen" },
	{ "Lena", "lena" }, { "Felix", "felix" }, { "Katharina", "katharina" },
	{ "Maximilian", "maximilian" }, { "Jörg", "joerg" }, { "Sophie", "sophie" },
	{ "Tobias", "tobias" }, { "Jana", "jana" }, { "Björn", "bjoern" },
	{ "Niklas", "niklas" }, { "Lea", "lea" }, { "Uwe", "uwe" },
};
static const struct bv_name bv_de_last[] = {
	{ "Müller", "mueller" }, { "Schmidt", "schmidt" }, { "Schneider", "schneider" },
	{ "Fischer", "fischer" }, { "Weber", "weber" }, { "Meyer", "meyer" },
	{ "Wagner", "wagner" }, { "Becker", "becker" }, { "Schulz", "schulz" },
	{ "Hoffmann", "hoffmann" }, { "Schröder", "schroeder" }, { "Krüger", "krueger" },
	{ "Weiß", "weiss" }, { "Groß", "gross" }, { "Köhler", "koehler" },
};
static const unsigned bv_de_home[] = { 9, 10, 11, 49, 47 };

static const struct bv_name bv_pl_first[] = {
	{ "Łukasz", "lukasz" }, { "Agnieszka", "agnieszka" }, { "Paweł", "pawel" },
	{ "Małgorzata", "malgorzata" }, { "Krzysztof", "krzysztof" }, { "Zofia", "zofia" },
	{ "Michał", "michal" }, { "Katarzyna", "katarzyna" }, { "Wojciech", "wojciech" },
	{ "Joanna", "joanna" },
};
static const struct bv_name bv_pl_last[] = {
	{ "Nowak", "nowak" }, { "Kowalski", "kowalski" }, { "Wiśniewski", "wisniewski" },
	{ "Wójcik", "wojcik" }, { "Kowalczyk", "kowalczyk" }, { "Kamiński", "kaminski" },
	{ "Lewandowska", "lewandowska" }, { "Zieliński", "zielinski" },
	{ "Szymańska", "szymanska" }, { "Dąbrowski", "dabrowski" },
};
static const unsigned bv_pl_home[] = { 22, 23, 9 };

static const struct bv_name bv_nordic_first[] = {
	{ "Søren", "soren" }, { "Åsa", "asa" }, { "Björn", "bjorn" },
	{ "Ingrid", "ingrid" }, { "Lars", "lars" }, { "Maja", "maja" },
	{ "Mikkel", "mikkel" }, { "Freja", "freja" }, { "Erik", "erik" },
	{ "Sigrún", "sigrun" },
};
static const struct bv_name bv_nordic_last[] = {
	{ "Andersson", "andersson" }, { "Johansson", "johansson" }, { "Nielsen", "nielsen" },
	{ "Hansen", "hansen" }, { "Jørgensen", "jorgensen" }, { "Lindqvist", "lindqvist" },
	{ "Bergström", "bergstrom" }, { "Håkansson", "hakansson" }, { "Olsen", "olsen" },
	{ "Sæther", "saether" },
};
static const unsigned bv_nordic_home[] = { 24, 25, 26, 54 };

static const struct bv_name bv_tr_first[] = {
	{ "Mehmet", "mehmet" }, { "Ayşe", "ayse" }, { "Çağrı", "cagri" },
	{ "Zeynep", "zeynep" }, { "Emre", "emre" }, { "Elif", "elif" },
	{ "Burak", "burak" }, { "Gülşen", "gulsen" },
};
static const struct bv_name bv_tr_last[] = {
	{ "Yılmaz", "yilmaz" }, { "Kaya", "kaya" }, { "Demir", "demir" },
	{ "Şahin", "sahin" }, { "Çelik", "celik" }, { "Öztürk", "ozturk" },
	{ "Aydın", "aydin" }, { "Doğan", "dogan" },
};
static const unsigned bv_tr_home[] = { 27, 9 };

static const struct bv_name bv_in_first[] = {
	{ "Priya", "priya" }, { "Rahul", "rahul" }, { "Ananya", "ananya" },
	{ "Arjun", "arjun" }, { "Divya", "divya" }, { "Vikram", "vikram" },
	{ "Sneha", "sneha" }, { "Aditya", "aditya" }, { "Kavya", "kavya" },
	{ "Rohan", "rohan" }, { "Pooja", "pooja" }, { "Siddharth", "siddharth" },
	{ "Lakshmi", "lakshmi" }, { "Karthik", "karthik" }, { "Deepa", "deepa" },
};
static const struct bv_name bv_in_last[] = {
	{ "Sharma", "sharma" }, { "Patel", "patel" }, { "Singh", "singh" },
	{ "Kumar", "kumar" }, { "Gupta", "gupta" }, { "Reddy", "reddy" },
	{ "Iyer", "iyer" }, { "Nair", "nair" }, { "Joshi", "joshi" },
	{ "Menon", "menon" }, { "Rao", "rao" }, { "Chatterjee", "chatterjee" },
	{ "Krishnan", "krishnan" }, { "Desai", "desai" }, { "Mehta", "mehta" },
};
static const unsigned bv_in_home[] = { 28, 29, 30, 0, 4, 45, 40 };

static const struct bv_name bv_zh_first[] = {
	{ "伟", "wei" }, { "芳", "fang" }, { "娜", "na" }, { "敏", "min" },
	{ "静", "jing" }, { "磊", "lei" }, { "洋", "yang" }, { "婷", "ting" },
	{ "强", "qiang" }, { "晓明", "xiaoming" }, { "子涵", "zihan" }, { "浩然", "haoran" },
};
static const struct bv_name bv_zh_last[] = {
	{ "王", "wang" }, { "李", "li" }, { "张", "zhang" }, { "刘", "liu" },
	{ "陈", "chen" }, { "杨", "yang" }, { "黄", "huang" }, { "赵", "zhao" },
	{ "吴", "wu" }, { "周", "zhou" }, { "徐", "xu" }, { "孙", "sun" },
};
static const unsigned bv_zh_home[] = { 31, 32, 33, 45, 4 };

static const struct bv_name bv_ja_first[] = {
	{ "翔太", "shota" }, { "陽菜", "hina" }, { "大輔", "daisuke" },
	{ "さくら", "sakura" }, { "健太", "kenta" }, { "美咲", "misaki" },
	{ "拓也", "takuya" }, { "結衣", "yui" },
};
static const struct bv_name bv_ja_last[] = {
	{ "佐藤", "sato" }, { "鈴木", "suzuki" }, { "高橋", "takahashi" },
	{ "田中", "tanaka" }, { "渡辺", "watanabe" }, { "伊藤", "ito" },
	{ "山本", "yamamoto" }, { "中村", "nakamura" },
};
static const unsigned bv_ja_home[] = { 34, 35 };

static const struct bv_name bv_ko_first[] = {
	{ "민준", "minjun" }, { "서연", "seoyeon" }, { "지훈", "jihoon" },
	{ "하은", "haeun" }, { "도윤", "doyun" }, { "수빈", "subin" },
};
static const struct bv_name bv_ko_last[] = {
	{ "김", "kim" }, { "이", "lee" }, { "박", "park" }, { "최", "choi" },
	{ "정", "jung" }, { "강", "kang" },
};
static const unsigned bv_ko_home[] = { 36 };

static const struct bv_name bv_ar_first[] = {
	{ "محمد", "mohamed" }, { "Ahmed", "ahmed" }, { "فاطمة", "fatima" },
	{ "Omar", "omar" }, { "Layla", "layla" }, { "يوسف", "youssef" },
	{ "Nour", "nour" }, { "Khaled", "khaled" },
};
static const struct bv_name bv_ar_last[] = {
	{ "Al-Sayed", "alsayed" }, { "حسن", "hassan" }, { "Haddad", "haddad" },
	{ "Mansour", "mansour" }, { "إبراهيم", "ibrahim" }, { "Khalil", "khalil" },
	{ "Nasser", "nasser" }, { "El-Amin", "elamin" },
};
static const unsigned bv_ar_home[] = { 39, 40, 53, 12 };

static const struct bv_name bv_cyr_first[] = {
	{ "Олександр", "oleksandr" }, { "Ірина", "iryna" }, { "Дмитро", "dmytro" },
	{ "Анна", "anna" }, { "Андрій", "andriy" }, { "Olena", "olena" },
	{ "Сергей", "sergey" }, { "Natalia", "natalia" },
};
static const struct bv_name bv_cyr_last[] = {
	{ "Шевченко", "shevchenko" }, { "Kovalenko", "kovalenko" },
	{ "Бондаренко", "bondarenko" }, { "Ткаченко", "tkachenko" },
	{ "Іваненко", "ivanenko" }, { "Petrov", "petrov" }, { "Соколова", "sokolova" },
	{ "Melnyk", "melnyk" },
};
static const unsigned bv_cyr_home[] = { 41, 22, 9, 54 };

static const struct bv_name bv_el_first[] = {
	{ "Γιώργος", "giorgos" }, { "Μαρία", "maria" }, { "Dimitris", "dimitris" },
	{ "Ελένη", "eleni" }, { "Nikos", "nikos" }, { "Κατερίνα", "katerina" },
};
static const struct bv_name bv_el_last[] = {
	{ "Παπαδόπουλος", "papadopoulos" }, { "Papadaki", "papadaki" },
	{ "Γεωργίου", "georgiou" }, { "Nikolaidis", "nikolaidis" },
	{ "Οικονόμου", "oikonomou" }, { "Vlachos", "vlachos" },
};
static const unsigned bv_el_home[] = { 42, 0 };

static const struct bv_name bv_af_first[] = {
	{ "Chinedu", "chinedu" }, { "Amina", "amina" }, { "Oluwaseun", "oluwaseun" },
	{ "Ngozi", "ngozi" }, { "Kwame", "kwame" }, { "Wanjiru", "wanjiru" },
	{ "Tunde", "tunde" }, { "Zainab", "zainab" },
};
static const struct bv_name bv_af_last[] = {
	{ "Okafor", "okafor" }, { "Bello", "bello" }, { "Adeyemi", "adeyemi" },
	{ "Mensah", "mensah" }, { "Odhiambo", "odhiambo" }, { "Kamau", "kamau" },
	{ "Eze", "eze" }, { "Abubakar", "abubakar" },
};
static const unsigned bv_af_home[] = { 37, 38, 0 };

static const struct bv_name bv_vi_first[] = {
	{ "Văn An", "an" }, { "Thị Lan", "lan" }, { "Minh", "minh" },
	{ "Thu Hà", "ha" }, { "Quốc Bảo", "bao" }, { "Ngọc Anh", "anh" },
};
static const struct bv_name bv_vi_last[] = {
	{ "Nguyễn", "nguyen" }, { "Trần", "tran" }, { "Lê", "le" },
	{ "Phạm", "pham" }, { "Hoàng", "hoang" }, { "Đặng", "dang" },
};
static const unsigned bv_vi_home[] = { 43, 44, 45 };

static const struct bv_name bv_it_first[] = {
	{ "Giulia", "giulia" }, { "Marco", "marco" }, { "Francesca", "francesca" },
	{ "Luca", "luca" }, { "Chiara", "chiara" }, { "Niccolò", "niccolo" },
	{ "Martina", "martina" }, { "Lorenzo", "lorenzo" },
};
static const struct bv_name bv_it_last[] = {
	{ "Rossi", "rossi" }, { "Russo", "russo" }, { "Ferrari", "ferrari" },
	{ "Esposito", "esposito" }, { "Bianchi", "bianchi" }, { "Romano", "romano" },
	{ "Colombo", "colombo" }, { "De Luca", "deluca" },
};
static const unsigned bv_it_home[] = { 50, 51, 49 };


/*
 * Family names past the common ones. Real surnames have a long tail (the
 * commonest English one is about 1% of people, Korean Kim about a fifth):
 * without it, name sorting and surname searches would meet a few huge
 * groups that real data does not have. Cultures whose names really are
 * concentrated (Chinese, Korean, Vietnamese) get none.
 */
static const struct bv_name bv_en_ta[] = {
	{ "Ash", "ash" }, { "Brad", "brad" }, { "Black", "black" }, { "Whit", "whit" },
	{ "Hart", "hart" }, { "Fair", "fair" }, { "Good", "good" }, { "Hol", "hol" },
	{ "Pem", "pem" }, { "Rad", "rad" }, { "Sut", "sut" }, { "Wel", "wel" },
	{ "Ell", "ell" }, { "Har", "har" }, { "Mar", "mar" }, { "Hamp", "hamp" },
	{ "Ather", "ather" }, { "Brom", "brom" }, { "Cart", "cart" }, { "Craw", "craw" },
	{ "Dun", "dun" }, { "Frank", "frank" }, { "Gold", "gold" }, { "Hay", "hay" },
	{ "Lang", "lang" }, { "Mid", "mid" }, { "Nor", "nor" }, { "Pres", "pres" },
	{ "Sand", "sand" }, { "Stan", "stan" }, { "Thorn", "thorn" }, { "Tur", "tur" },
	{ "Wake", "wake" }, { "Win", "win" }, { "Wool", "wool" }, { "Bur", "bur" },
	{ "Carl", "carl" }, { "Lin", "lin" }, { "Mor", "mor" }, { "Rud", "rud" },
	{ "Ox", "ox" }, { "Kings", "kings" }, { "Ches", "ches" }, { "Ed", "ed" },
};
static const struct bv_name bv_en_tb[] = {
	{ "ford", "ford" }, { "ley", "ley" }, { "ton", "ton" }, { "well", "well" },
	{ "wood", "wood" }, { "by", "by" }, { "field", "field" }, { "more", "more" },
	{ "worth", "worth" }, { "wick", "wick" }, { "ridge", "ridge" }, { "ham", "ham" },
	{ "shaw", "shaw" }, { "croft", "croft" }, { "den", "den" }, { "ing", "ing" },
	{ "dale", "dale" }, { "stone", "stone" }, { "man", "man" }, { "son", "son" },
};
static const struct bv_name bv_es_ta[] = {
	{ "Villa", "villa" }, { "Monte", "monte" }, { "Casa", "casa" }, { "Bel", "bel" },
	{ "Val", "val" }, { "Cas", "cas" }, { "Mira", "mira" }, { "Torre", "torre" },
	{ "Fuente", "fuente" }, { "Navar", "navar" }, { "Quin", "quin" }, { "Sal", "sal" },
	{ "Esco", "esco" }, { "Alar", "alar" }, { "Pala", "pala" }, { "Santa", "santa" },
	{ "Cor", "cor" }, { "Ber", "ber" }, { "Car", "car" }, { "Oli", "oli" },
	{ "Arri", "arri" }, { "Echa", "echa" }, { "Goi", "goi" }, { "Zubi", "zubi" },
};
static const struct bv_name bv_es_tb[] = {
	{ "nueva", "nueva" }, { "real", "real" }, { "alta", "alta" }, { "verde", "verde" },
	{ "rrubia", "rrubia" }, { "ejo", "ejo" }, { "tero", "tero" }, { "dano", "dano" },
	{ "món", "mon" }, { "gón", "gon" }, { "zar", "zar" }, { "varría", "varria" },
	{ "mendi", "mendi" }, { "ola", "ola" }, { "oza", "oza" }, { "illo", "illo" },
};
static const struct bv_name bv_pt_ta[] = {
	{ "Vilar", "vilar" }, { "Mon", "mon" }, { "Castel", "castel" }, { "Ri", "ri" },
	{ "Fer", "fer" }, { "Bar", "bar" }, { "Teix", "teix" }, { "Mour", "mour" },
	{ "Az", "az" }, { "Bran", "bran" }, { "Cor", "cor" }, { "Pin", "pin" },
	{ "Cal", "cal" }, { "Gui", "gui" }, { "Fal", "fal" }, { "Sam", "sam" },
};
static const struct bv_name bv_pt_tb[] = {
	{ "eira", "eira" }, { "inho", "inho" }, { "ão", "ao" }, { "ado", "ado" },
	{ "ares", "ares" }, { "elo", "elo" }, { "ento", "ento" }, { "oso", "oso" },
	{ "edo", "edo" }, { "ães", "aes" }, { "ota", "ota" }, { "anha", "anha" },
};
static const struct bv_name bv_fr_ta[] = {
	{ "Beau", "beau" }, { "Mont", "mont" }, { "Ville", "ville" }, { "Belle", "belle" },
	{ "Roche", "roche" }, { "Fon", "fon" }, { "Char", "char" }, { "Mar", "mar" },
	{ "Bois", "bois" }, { "Clair", "clair" }, { "La", "la" }, { "Ver", "ver" },
	{ "Dela", "dela" }, { "Gran", "gran" }, { "Cha", "cha" }, { "Pré", "pre" },
};
static const struct bv_name bv_fr_tb[] = {
	{ "champ", "champ" }, { "mont", "mont" }, { "court", "court" },
	{ "ville", "ville" }, { "fort", "fort" }, { "lieu", "lieu" }, { "vert", "vert" },
	{ "dieu", "dieu" }, { "marais", "marais" }, { "fontaine", "fontaine" },
	{ "noy", "noy" }, { "rière", "riere" }, { "vallon", "vallon" }, { "bert", "bert" },
};
static const struct bv_name bv_de_ta[] = {
	{ "Schön", "schoen" }, { "Rosen", "rosen" }, { "Stein", "stein" }, { "Berg", "berg" },
	{ "Wald", "wald" }, { "Linden", "linden" }, { "Hof", "hof" }, { "Brunn", "brunn" },
	{ "Eich", "eich" }, { "Feld", "feld" }, { "Kalten", "kalten" }, { "Grün", "gruen" },
	{ "Alt", "alt" }, { "Neu", "neu" }, { "Ober", "ober" }, { "Unter", "unter" },
	{ "Hoch", "hoch" }, { "Kirch", "kirch" }, { "Mühl", "muehl" }, { "Sonnen", "sonnen" },
	{ "Bauern", "bauern" }, { "Fried", "fried" }, { "Lieb", "lieb" }, { "Wester", "wester" },
};
static const struct bv_name bv_de_tb[] = {
	{ "berger", "berger" }, { "mann", "mann" }, { "hauer", "hauer" }, { "meier", "meier" },
	{ "bach", "bach" }, { "huber", "huber" }, { "feld", "feld" }, { "thal", "thal" },
	{ "stätter", "staetter" }, { "brenner", "brenner" }, { "wieser", "wieser" },
	{ "hofer", "hofer" }, { "müller", "mueller" }, { "reiter", "reiter" }, { "egger", "egger" },
};
static const struct bv_name bv_pl_ta[] = {
	{ "Kowal", "kowal" }, { "Wiś", "wis" }, { "Zieli", "zieli" }, { "Lewan", "lewan" },
	{ "Kami", "kami" }, { "Szyma", "szyma" }, { "Woź", "woz" }, { "Kozł", "kozl" },
	{ "Janko", "janko" }, { "Mazu", "mazu" }, { "Gór", "gor" }, { "Sob", "sob" },
	{ "Pawł", "pawl" }, { "Krawc", "krawc" }, { "Grab", "grab" }, { "Dud", "dud" },
};
static const struct bv_name bv_pl_tb[] = {
	{ "ski", "ski" }, { "czyk", "czyk" }, { "ewicz", "ewicz" }, { "iak", "iak" },
	{ "ak", "ak" }, { "owski", "owski" }, { "ecki", "ecki" }, { "ska", "ska" },
	{ "owska", "owska" }, { "ek", "ek" },
};
static const struct bv_name bv_it_ta[] = {
	{ "Bel", "bel" }, { "Castel", "castel" }, { "Monte", "monte" }, { "Fior", "fior" },
	{ "Ross", "ross" }, { "Bianc", "bianc" }, { "Ver", "ver" }, { "Gall", "gall" },
	{ "Mar", "mar" }, { "Cavall", "cavall" }, { "Santor", "santor" }, { "Lomb", "lomb" },
	{ "Pell", "pell" }, { "Ferr", "ferr" }, { "Sart", "sart" }, { "Vit", "vit" },
};
static const struct bv_name bv_it_tb[] = {
	{ "ini", "ini" }, { "etti", "etti" }, { "ucci", "ucci" }, { "ello", "ello" },
	{ "one", "one" }, { "ari", "ari" }, { "esi", "esi" }, { "otti", "otti" },
	{ "ardi", "ardi" }, { "egrino", "egrino" }, { "ale", "ale" }, { "uzzi", "uzzi" },
};
static const struct bv_name bv_nordic_ta[] = {
	{ "Berg", "berg" }, { "Lind", "lind" }, { "Sand", "sand" }, { "Holm", "holm" },
	{ "Dahl", "dahl" }, { "Ek", "ek" }, { "Nord", "nord" }, { "Sjö", "sjo" },
	{ "Ström", "strom" }, { "Björk", "bjork" }, { "Fors", "fors" }, { "Hag", "hag" },
};
static const struct bv_name bv_nordic_tb[] = {
	{ "ström", "strom" }, { "qvist", "qvist" }, { "gren", "gren" }, { "berg", "berg" },
	{ "lund", "lund" }, { "dahl", "dahl" }, { "man", "man" }, { "vik", "vik" },
	{ "stad", "stad" }, { "holm", "holm" }, { "bäck", "back" },
};
static const struct bv_name bv_tr_ta[] = {
	{ "Kara", "kara" }, { "Ak", "ak" }, { "Öz", "oz" }, { "Yıl", "yil" },
	{ "Er", "er" }, { "Gün", "gun" }, { "Tek", "tek" }, { "Demir", "demir" },
	{ "Koç", "koc" }, { "Çak", "cak" }, { "Al", "al" }, { "Bay", "bay" },
};
static const struct bv_name bv_tr_tb[] = {
	{ "han", "han" }, { "dağ", "dag" }, { "soy", "soy" }, { "can", "can" },
	{ "kaya", "kaya" }, { "taş", "tas" }, { "oğlu", "oglu" }, { "er", "er" },
	{ "türk", "turk" }, { "su", "su" },
};
static const struct bv_name bv_in_ta[] = {
	{ "Ban", "ban" }, { "Chat", "chat" }, { "Mukh", "mukh" }, { "Raj", "raj" },
	{ "Sub", "sub" }, { "Venk", "venk" }, { "Bhat", "bhat" }, { "Pill", "pill" },
	{ "Agar", "agar" }, { "Kap", "kap" }, { "Sriv", "sriv" }, { "Dev", "dev" },
	{ "Gan", "gan" }, { "Ram", "ram" }, { "Sesh", "sesh" }, { "Tri", "tri" },
};
static const struct bv_name bv_in_tb[] = {
	{ "erjee", "erjee" }, { "opadhyay", "opadhyay" }, { "amanian", "amanian" },
	{ "atesan", "atesan" }, { "nagar", "nagar" }, { "wal", "wal" }, { "ai", "ai" },
	{ "astava", "astava" }, { "oor", "oor" }, { "esh", "esh" }, { "adri", "adri" },
	{ "vedi", "vedi" },
};
static const struct bv_name bv_af_ta[] = {
	{ "Ade", "ade" }, { "Olu", "olu" }, { "Chuk", "chuk" }, { "Obi", "obi" },
	{ "Nwa", "nwa" }, { "Kip", "kip" }, { "Oti", "oti" }, { "Ogun", "ogun" },
	{ "Aki", "aki" }, { "Mwa", "mwa" }, { "Ona", "ona" }, { "Eku", "eku" },
};
static const struct bv_name bv_af_tb[] = {
	{ "wale", "wale" }, { "bunmi", "bunmi" }, { "emeka", "emeka" }, { "nna", "nna" },
	{ "choge", "choge" }, { "eno", "eno" }, { "yemi", "yemi" }, { "ngi", "ngi" },
	{ "gbe", "gbe" }, { "sanya", "sanya" },
};
static const struct bv_name bv_ja_ta[] = {
	{ "山", "yama" }, { "田", "ta" }, { "中", "naka" }, { "小", "ko" },
	{ "大", "o" }, { "高", "taka" }, { "松", "matsu" }, { "井", "i" },
	{ "石", "ishi" }, { "木", "ki" }, { "森", "mori" }, { "藤", "fuji" },
};
static const struct bv_name bv_ja_tb[] = {
	{ "田", "da" }, { "本", "moto" }, { "村", "mura" }, { "川", "kawa" },
	{ "野", "no" }, { "口", "guchi" }, { "崎", "zaki" }, { "島", "shima" },
	{ "原", "hara" }, { "谷", "tani" },
};
static const struct bv_name bv_cyr_ta[] = {
	{ "Бондар", "bondar" }, { "Ткач", "tkach" }, { "Коваль", "koval" },
	{ "Шевч", "shevch" }, { "Мороз", "moroz" }, { "Кравч", "kravch" },
	{ "Савч", "savch" }, { "Литвин", "lytvyn" }, { "Петр", "petr" },
	{ "Марч", "march" }, { "Гончар", "honchar" }, { "Руд", "rud" },
};
static const struct bv_name bv_cyr_tb[] = {
	{ "енко", "enko" }, { "ук", "uk" }, { "ишин", "yshyn" }, { "ов", "ov" },
	{ "ич", "ych" }, { "ак", "ak" }, { "юк", "yuk" },
};

#define BV_CULTURE(id, w, p, ff, ns) { id, w, bv_##p##_first, bv_##p##_last, \
	NELEM(bv_##p##_first), NELEM(bv_##p##_last), bv_##p##_home, \
	NELEM(bv_##p##_home), ff, ns, NULL, NULL, 0, 0, 0 }
#define BV_CULTURE_T(id, w, p, ff, ns, pct) { id, w, bv_##p##_first, \
	bv_##p##_last, NELEM(bv_##p##_first), NELEM(bv_##p##_last), \
	bv_##p##_home, NELEM(bv_##p##_home), ff, ns, bv_##p##_ta, bv_##p##_tb, \
	NELEM(bv_##p##_ta), NELEM(bv_##p##_tb), pct }

static const struct bv_culture bv_cultures[] = {
	BV_CULTURE_T("english", 260, en, 0, 0, 70),
	BV_CULTURE_T("spanish", 110, es, 0, 0, 50),
	BV_CULTURE_T("indian", 100, in, 0, 0, 50),
	BV_CULTURE_T("german", 80, de, 0, 0, 70),
	BV_CULTURE_T("french", 70, fr, 0, 0, 70),
	BV_CULTURE("chinese", 70, zh, 1, 1),
	BV_CULTURE_T("portuguese", 60, pt, 0, 0, 50),
	BV_CULTURE_T("polish", 35, pl, 0, 0, 70),
	BV_CULTURE_T("italian", 35, it, 0, 0, 70),
	BV_CULTURE_T("nordic", 30, nordic, 0, 0, 60),
	BV_CULTURE_T("ukrainian", 30, cyr, 0, 0, 60),
	BV_CULTURE("arabic", 30, ar, 0, 0),
	BV_CULTURE_T("african", 30, af, 0, 0, 60),
	BV_CULTURE_T("japanese", 25, ja, 1, 0, 70),
	BV_CULTURE_T("turkish", 25, tr, 0, 0, 60),
	BV_CULTURE("korean", 20, ko, 1, 1),
	BV_CULTURE("vietnamese", 20, vi, 1, 0),
	BV_CULTURE("greek", 20, el, 0, 0),
};

static const char *const bv_domains[] = {
	"gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com",
	"proton.me", "gmx.de", "web.de", "orange.fr", "libero.it", "qq.com",
	"163.com", "naver.com", "yandex.ru", "ukr.net", "mail.com", "fastmail.com",
	"hey.com", "live.co.uk", "wp.pl", "seznam.cz", "example.org",
};

/* The job families of Site.JobFamilies (conf/hearth.hdf), in its order. */
static const char *const bv_families[] = {
	"engineering", "data", "design", "product", "sales", "marketing",
	"customer", "operations", "people", "finance",
};
/* Share of candidates per family (per mille, the same order). */
static const unsigned bv_family_weight[] = {
	330, 130, 70, 60, 110, 80, 70, 60, 40, 50,
};

/* Skills per family, commonest first (lower case, as signups store them). */
static const char *const bv_skills_engineering[] = {
	"python", "javascript", "java", "sql", "typescript", "react", "aws",
	"docker", "kubernetes", "go", "c++", "node.js", "c#", "linux", "git",
	"postgresql", "rust", "c", "terraform", "ruby", "php", "kotlin", "swift",
	"django", "spring boot", "graphql", "redis", "kafka", "microservices",
	"azure", "gcp", "ci/cd", "vue.js", "angular", "scala", "elixir", "haskell",
	"embedded systems", "android", "ios", "flutter", "react native", "webassembly",
	"rabbitmq", "elasticsearch", "mongodb", "nginx", "bash", "ansible", "grpc",
	"security", "penetration testing", "fpga", "verilog", "opengl", "unity",
	"unreal engine", "clojure", "erlang", "fortran", "cobol", "perl",
};
static const char *const bv_skills_data[] = {
	"sql", "python", "machine learning", "statistics", "pandas", "spark",
	"tableau", "power bi", "r", "deep learning", "pytorch", "tensorflow",
	"data modelling", "dbt", "airflow", "snowflake", "bigquery", "nlp",
	"computer vision", "excel", "a/b testing", "scikit-learn", "hadoop",
	"looker", "databricks", "llm", "mlops", "time series", "bayesian inference",
	"data engineering", "etl", "kafka", "jupyter", "sas", "stata", "julia",
};
static const char *const bv_skills_design[] = {
	"figma", "user research", "ux design", "ui design", "prototyping",
	"sketch", "adobe xd", "design systems", "illustrator", "photoshop",
	"interaction design", "accessibility", "usability testing", "wireframing",
	"motion design", "after effects", "typography", "branding", "css",
	"service design", "information architecture", "3d modelling", "blender",
};
static const char *const bv_skills_product[] = {
	"product strategy", "roadmapping", "agile", "scrum", "jira",
	"stakeholder management", "user stories", "product discovery", "okrs",
	"analytics", "a/b testing", "go-to-market", "pricing", "b2b saas",
	"market research", "kanban", "confluence", "prioritisation", "sql",
};
static const char *const bv_skills_sales[] = {
	"b2b sales", "salesforce", "negotiation", "account management",
	"lead generation", "cold calling", "crm", "hubspot", "saas sales",
	"business development", "enterprise sales", "pipeline management",
	"presales", "solution selling", "channel sales", "key accounts",
	"forecasting", "linkedin sales navigator", "closing", "prospecting",
};
static const char *const bv_skills_marketing[] = {
	"seo", "content marketing", "google analytics", "social media",
	"copywriting", "email marketing", "sem", "google ads", "brand strategy",
	"marketing automation", "hubspot", "growth hacking", "pr",
	"event marketing", "product marketing", "wordpress", "canva",
	"influencer marketing", "performance marketing", "market research",
};
static const char *const bv_skills_customer[] = {
	"customer service", "zendesk", "customer success", "onboarding",
	"technical support", "intercom", "account management", "churn reduction",
	"itil", "troubleshooting", "crm", "salesforce", "empathy", "french",
	"german", "spanish", "escalation management", "knowledge base",
};
static const char *const bv_skills_operations[] = {
	"project management", "logistics", "supply chain", "excel", "lean",
	"six sigma", "procurement", "process improvement", "erp", "sap",
	"vendor management", "prince2", "pmp", "budgeting", "facilities",
	"inventory management", "health and safety", "operations management",
};
static const char *const bv_skills_people[] = {
	"recruiting", "talent acquisition", "employee relations", "hris",
	"workday", "onboarding", "compensation", "learning and development",
	"employer branding", "sourcing", "boolean search", "coaching",
	"employment law", "payroll", "diversity and inclusion", "greenhouse",
	"performance management", "organisational design",
};
static const char *const bv_skills_finance[] = {
	"financial modelling", "excel", "accounting", "ifrs", "us gaap",
	"budgeting", "forecasting", "audit", "tax", "fp&a", "sap", "xero",
	"quickbooks", "contract law", "compliance", "treasury", "valuation",
	"m&a", "corporate law", "gdpr", "aml", "netsuite", "cfa", "acca",
};

struct bv_list {
	const char *const *v;
	size_t n;
};
#define BV_LIST(a) { a, NELEM(a) }

static const struct bv_list bv_skills[] = {
	BV_LIST(bv_skills_engineering), BV_LIST(bv_skills_data),
	BV_LIST(bv_skills_design), BV_LIST(bv_skills_product),
	BV_LIST(bv_skills_sales), BV_LIST(bv_skills_marketing),
	BV_LIST(bv_skills_customer), BV_LIST(bv_skills_operations),
	BV_LIST(bv_skills_people), BV_LIST(bv_skills_finance),
};

/* Skills anyone may list besides those of their family. */
static const char *const bv_skills_general[] = {
	"english", "communication", "leadership", "teamwork", "mentoring",
	"public speaking", "spanish", "german", "french", "mandarin",
	"portuguese", "japanese", "arabic", "problem solving", "remote work",
	"time management", "writing", "presentation", "negotiation", "hindi",
};

/* Job titles per family (seniority words are put in front). */
static const char *const bv_titles_engineering[] = {
	"Software Engineer", "Backend Engineer", "Frontend Developer",
	"Full-Stack Developer", "DevOps Engineer", "Site Reliability Engineer",
	"Mobile Developer", "Embedded Software Engineer", "Security Engineer",
	"Platform Engineer", "QA Engineer", "Engineering Manager", "Game Developer",
	"Cloud Architect", "Firmware Engineer",
};
static const char *const bv_titles_data[] = {
	"Data Scientist", "Data Analyst", "Data Engineer",
	"Machine Learning Engineer", "Analytics Engineer", "BI Developer",
	"Research Scientist", "Statistician",
};
static const char *const bv_titles_design[] = {
	"Product Designer", "UX Designer", "UI Designer", "UX Researcher",
	"Graphic Designer", "Design Lead", "Motion Designer",
};
static const char *const bv_titles_product[] = {
	"Product Manager", "Product Owner", "Technical Product Manager",
	"Head of Product", "Product Analyst",
};
static const char *const bv_titles_sales[] = {
	"Account Executive", "Sales Development Representative",
	"Business Development Manager", "Account Manager", "Sales Engineer",
	"Sales Director", "Key Account Manager",
};
static const char *const bv_titles_marketing[] = {
	"Marketing Manager", "Content Marketer", "SEO Specialist",
	"Growth Marketer", "Product Marketing Manager", "Social Media Manager",
	"Brand Manager", "Copywriter",
};
static const char *const bv_titles_customer[] = {
	"Customer Success Manager", "Support Engineer", "Customer Support Agent",
	"Implementation Consultant", "Technical Account Manager",
};
static const char *const bv_titles_operations[] = {
	"Operations Manager", "Project Manager", "Supply Chain Analyst",
	"Office Manager", "Program Manager", "Logistics Coordinator",
};
static const char *const bv_titles_people[] = {
	"Recruiter", "Talent Acquisition Partner", "HR Business Partner",
	"People Operations Manager", "Technical Recruiter", "Sourcer",
};
static const char *const bv_titles_finance[] = {
	"Financial Analyst", "Accountant", "Controller", "Legal Counsel",
	"Compliance Officer", "FP&A Manager", "Paralegal", "Tax Advisor",
};
static const struct bv_list bv_titles[] = {
	BV_LIST(bv_titles_engineering), BV_LIST(bv_titles_data),
	BV_LIST(bv_titles_design), BV_LIST(bv_titles_product),
	BV_LIST(bv_titles_sales), BV_LIST(bv_titles_marketing),
	BV_LIST(bv_titles_customer), BV_LIST(bv_titles_operations),
	BV_LIST(bv_titles_people), BV_LIST(bv_titles_finance),
};

/* The seniorities of the signup form (comm_seniorities), with shares. */
static const char *const bv_seniorities[] = {
	"student", "junior", "mid", "senior", "lead", "executive",
};
static const unsigned bv_seniority_weight[] = { 50, 170, 330, 300, 120, 30 };
static const char *const bv_title_prefix[] = {
	"Intern", "Junior", "", "Senior", "Lead", "Director,",
};

/* Statuses (index.h's cand_statuses) with shares, per mille. */
static const char *const bv_statuses[] = {
	"sourced", "contacted", "engaged", "applied", "interviewing", "offered",
	"hired", "declined", "silver_medallist", "do_not_contact",
};
static const unsigned bv_status_weight[] = {
	330, 190, 220, 80, 40, 10, 25, 45, 35, 25,
};

/* Where candidates come from; the first ones gave consent themselves. */
static const char *const bv_sources[] = {
	"talent community", "career fair", "meetup", "website", "event",
	"linkedin", "referral", "github", "indeed", "agency", "import",
	"stack overflow", "university",
};
static const unsigned bv_source_weight[] = {
	300, 40, 40, 60, 30, 240, 90, 50, 60, 30, 40, 10, 10,
};
#define BV_CONSENT_SOURCES 5	/* the first five: consent-based */

/* Tags (normalised: lower case), commonest first. */
static const char *const bv_tags[] = {
	"python", "referral", "relocation", "visa needed", "hot lead",
	"leadership", "react", "remote only", "boomerang", "contractor",
	"open source", "fintech", "speaker", "phd", "bootcamp", "startup",
	"enterprise", "part time", "gaming", "healthtech", "diversity",
	"freelance", "returner", "german speaker", "french speaker", "ai",
	"security clearance", "night owl", "conference 2024", "conference 2025",
	"hackathon", "intern alumni", "counter offer risk", "salary high",
	"notice 3 months", "notice 1 month", "available now", "veteran",
	"graduate 2024", "graduate 2025", "ex-faang", "climate", "crypto",
	"public sector", "agency", "manager track", "ic track", "mentor",
	"needs sponsor", "do not rehire",
};

/* Static pools made before the load. */
static const char *const bv_static_pools[] = {
	"Backend shortlist Q3", "Berlin meetup 2025", "Graduate programme 2026",
	"Data platform hires", "Sales Iberia", "Design leads", "Silver medallists 2025",
	"Relocation to Lisbon", "Security clearance holders", "Frontend bench",
	"Returners programme", "Executive search", "Support EMEA", "ML research",
	"Mobile squad", "Finance audit season", "Referral drive", "Hackathon finalists",
	"APAC expansion", "Diversity in tech fair",
};

/* Words of résumés and notes, commonest first (besides skills and names). */
static const char *const bv_text_words[] = {
	"experience", "team", "development", "project", "management", "years",
	"worked", "company", "design", "customer", "led", "built", "data",
	"product", "business", "responsible", "developed", "process", "services",
	"support", "software", "system", "systems", "strategy", "new", "growth",
	"improved", "delivered", "client", "clients", "teams", "stakeholders",
	"university", "degree", "bachelor", "master", "science", "engineering",
	"platform", "launched", "managed", "performance", "reduced", "increased",
	"revenue", "cost", "quality", "testing", "migration", "cloud", "mobile",
	"web", "api", "apis", "architecture", "scalable", "reliable", "agile",
	"cross-functional", "mentored", "hired", "junior", "senior", "roadmap",
	"users", "million", "customers", "international", "global", "europe",
	"remote", "startup", "enterprise", "consulting", "analysis", "reporting",
	"automation", "pipeline", "infrastructure", "security", "compliance",
	"budget", "operations", "training", "research", "published", "paper",
	"conference", "award", "volunteer", "languages", "fluent", "native",
	"certified", "certification", "internship", "freelance", "contract",
	"partnership", "negotiated", "closed", "deals", "quota", "exceeded",
	"campaigns", "content", "brand", "social", "launch", "market", "markets",
	"retail", "banking", "insurance", "healthcare", "logistics", "energy",
	"telecom", "media", "gaming", "education", "government", "nonprofit",
	"acquisition", "merger", "integration", "transformation", "digital",
	"modernised", "legacy", "monolith", "services", "observability",
	"monitoring", "incident", "on-call", "latency", "throughput", "database",
	"databases", "queries", "optimised", "dashboard", "dashboards", "metrics",
	"kpis", "okrs", "hiring", "interviews", "onboarded", "coached",
	"presented", "workshops", "documentation", "open-source", "contributor",
	"maintainer", "patents", "thesis", "phd", "mba", "bootcamp", "self-taught",
	"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne",
	"wonka", "tyrell", "cyberdyne", "soylent", "vandelay", "dunder", "mifflin",
	"contoso", "fabrikam", "northwind", "tailspin", "adventure", "works",
	"called", "spoke", "interested", "prefers", "salary", "expectations",
	"notice", "period", "relocate", "available", "follow", "up", "later",
	"quarter", "next", "month", "week", "referred", "by", "colleague",
	"strong", "fit", "culture", "keen", "open", "offers", "competing",
	"counter-offer", "left", "voicemail", "replied", "email", "linkedin",
	"message", "coffee", "chat", "met", "fair", "booth", "talk", "demo",
};

#endif
