"""Word lists for the dataset generator: names from several cultures and scripts, and the
small vocabularies (tags, organisations, summaries) that make a database look lived in.

Each culture is ``(weight, given names, family names, order, country codes)``; ``order`` is
``"western"`` (``Given Family``), ``"eastern"`` (``FamilyGiven``, no space) or ``"eastern_sp"``
(``Family Given``). Pure data: no imports, nothing runs at import time.
"""

from __future__ import annotations

CULTURES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], str, tuple[str, ...]]] = {
    "en": (20, (
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
        "William", "Elizabeth", "David", "Susan", "Richard", "Jessica", "Joseph", "Sarah",
        "Thomas", "Karen", "Charles", "Nancy", "Daniel", "Emily", "Matthew", "Hannah",
        "Andrew", "Anna", "Anthony", "Amelia", "Oliver", "Grace", "Harry", "Chloe",
    ), (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Taylor", "Anderson", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green",
        "Baker", "Adams", "Nelson", "Hill", "Campbell", "O'Brien", "Murphy",
    ), "western", ("+44", "+1", "+61", "+353")),
    "es": (12, (
        "Alejandro", "Ana", "Andrés", "Antonio", "Carmen", "Carlos", "Diego", "Elena",
        "Fernanda", "Gabriela", "Javier", "José", "Juan", "Laura", "Lucía", "Luis", "María",
        "Mariana", "Miguel", "Pablo", "Paula", "Sofía", "Valentina", "Ángel",
    ), (
        "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
        "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales",
        "Ortiz", "Jiménez", "Ruiz", "Álvarez", "Castillo", "Romero", "Navarro", "Vargas",
        "Muñoz",
    ), "western", ("+34", "+52", "+54", "+57")),
    "fr": (6, (
        "Amélie", "Antoine", "Benoît", "Camille", "Chloé", "Claire", "Élodie", "François",
        "Guillaume", "Hélène", "Julien", "Léa", "Louis", "Manon", "Mathieu", "Nicolas",
        "Océane", "Pierre", "Sébastien", "Théo", "Zoé", "Anaïs",
    ), (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garnier", "Faure",
        "Rousseau", "Blanc", "Guérin", "Chevalier", "Lemaître",
    ), "western", ("+33", "+32", "+41")),
    "de": (6, (
        "Andreas", "Anke", "Birgit", "Felix", "Florian", "Jana", "Jörg", "Jürgen", "Katrin",
        "Lukas", "Maximilian", "Monika", "Sabine", "Stefan", "Tobias", "Ursula", "Wolfgang",
        "Anja", "Heike", "Matthias",
    ), (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Zimmermann", "Krüger",
    ), "western", ("+49", "+43", "+41")),
    "it": (5, (
        "Alessandro", "Andrea", "Anna", "Chiara", "Davide", "Federica", "Francesca",
        "Giorgio", "Giulia", "Lorenzo", "Luca", "Marco", "Matteo", "Paolo", "Roberta", "Sara",
        "Simone", "Valentina",
    ), (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
        "Giordano", "Rizzo",
    ), "western", ("+39",)),
    "pt": (5, (
        "João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Rafael",
        "Fernanda", "Thiago", "Camila", "Gonçalo", "Inês",
    ), (
        "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Carvalho", "Almeida",
        "Ferreira", "Rodrigues", "Gomes", "Martins", "Araújo", "Barbosa",
    ), "western", ("+351", "+55")),
    "pl": (3, (
        "Agnieszka", "Anna", "Andrzej", "Bartosz", "Ewa", "Grzegorz", "Joanna", "Katarzyna",
        "Krzysztof", "Łukasz", "Magdalena", "Małgorzata", "Marek", "Michał", "Paweł", "Piotr",
        "Tomasz", "Zofia",
    ), (
        "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
        "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk", "Kaczmarek",
    ), "western", ("+48",)),
    "ru": (4, (
        "Анна", "Алексей", "Андрей", "Анастасия", "Дмитрий", "Екатерина", "Елена", "Иван",
        "Ирина", "Мария", "Михаил", "Наталья", "Ольга", "Павел", "Сергей", "Татьяна", "Юлия",
        "Николай",
    ), (
        "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
        "Новиков", "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Достоевский",
    ), "western", ("+7",)),
    "el": (2, (
        "Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Δημήτρης", "Αικατερίνη", "Κώστας", "Σοφία",
        "Γιάννης", "Αναστασία", "Χρήστος", "Δέσποινα",
    ), (
        "Νικολάου", "Γεωργίου", "Οικονόμου", "Δημητρίου", "Ιωάννου", "Κωνσταντίνου",
        "Παππά", "Αθανασίου",
    ), "western", ("+30", "+357")),
    "ar": (4, (
        "محمد", "أحمد", "فاطمة", "علي", "عمر", "مريم", "يوسف", "خالد", "ليلى", "سارة", "حسن",
        "نور", "زينب", "إبراهيم", "ياسمين",
    ), (
        "العلي", "الحسن", "حداد", "خوري", "منصور", "الشامي", "الأحمد", "سعيد", "عبد الله",
        "النجار", "الخطيب", "حمدان",
    ), "western", ("+971", "+20", "+961", "+212")),
    "he": (2, (
        "נועה", "דוד", "יוסף", "שרה", "מיכל", "אורי", "תמר", "יעל", "דניאל", "איתי", "רותם",
    ), (
        "כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם", "פרידמן", "שפירא", "גולן",
    ), "western", ("+972",)),
    "in": (8, (
        "Aarav", "Aditi", "Amit", "Ananya", "Anil", "Anjali", "Arjun", "Deepak", "Divya",
        "Kavya", "Neha", "Priya", "Rahul", "Rajesh", "Rohan", "Sanjay", "Shreya", "Sunita",
        "Vikram", "Anand",
    ), (
        "Sharma", "Verma", "Gupta", "Patel", "Singh", "Kumar", "Reddy", "Iyer", "Nair", "Rao",
        "Mehta", "Joshi", "Desai", "Chatterjee", "Banerjee", "Menon", "Pillai", "Agarwal",
    ), "western", ("+91",)),
    "hi": (1, (
        "अनीता", "राहुल", "प्रिया", "अमित", "सुनीता", "विजय", "अंकित", "पूजा",
    ), (
        "शर्मा", "वर्मा", "गुप्ता", "सिंह", "यादव", "मिश्रा",
    ), "western", ("+91",)),
    "zh": (6, (
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
        "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "华", "玉兰", "文", "辉", "建国",
        "晨",
    ), (
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
        "胡", "郭", "何", "林", "罗", "高", "欧阳",
    ), "eastern", ("+86", "+886", "+852", "+65")),
    "ja": (4, (
        "翔太", "陽菜", "蓮", "結衣", "大輝", "美咲", "拓海", "さくら", "健太", "愛", "悠斗",
        "葵", "直樹", "真由美", "浩", "由美子", "誠", "恵",
    ), (
        "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
        "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
    ), "eastern_sp", ("+81",)),
    "ko": (3, (
        "민준", "서연", "지훈", "하은", "도윤", "수빈", "예준", "지우", "현우", "서윤", "준서",
        "유진", "성민", "은지",
    ), (
        "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신",
    ), "eastern", ("+82",)),
    "vi": (3, (
        "Văn An", "Thị Lan", "Minh Anh", "Thanh Hương", "Đức Hùng", "Ngọc Linh", "Văn Tuấn",
        "Thị Mai", "Minh Quân", "Thu Trang", "Hải Long", "Phương Thảo",
    ), (
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
        "Đỗ",
    ), "eastern_sp", ("+84",)),
    "tr": (3, (
        "Ahmet", "Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Can", "Elif", "Zeynep",
        "Burak", "Deniz", "Emre", "Özge", "Selin", "Oğuz",
    ), (
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
        "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan",
    ), "western", ("+90",)),
    "af": (4, (
        "Adebayo", "Chinwe", "Oluwaseun", "Ngozi", "Emeka", "Amara", "Tunde", "Folake",
        "Kwame", "Ama", "Wanjiru", "Baraka", "Zawadi", "Juma", "Abena",
    ), (
        "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Mensah", "Owusu", "Kamau",
        "Mwangi", "Otieno", "Njoroge", "Boateng", "Adeleke", "Nwosu",
    ), "western", ("+234", "+254", "+233", "+27")),
    "nordic": (3, (
        "Anders", "Astrid", "Björn", "Ingrid", "Lars", "Linnea", "Magnus", "Sigrid", "Erik",
        "Freja", "Søren", "Mette", "Nils", "Åsa", "Karin", "Henrik",
    ), (
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsen", "Hansen",
        "Jensen", "Nielsen", "Pedersen", "Lindqvist", "Berg", "Håkansson", "Sørensen",
    ), "western", ("+46", "+45", "+47")),
}

NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "Richard": "Rick",
    "Michael": "Mike", "Thomas": "Tom", "Daniel": "Dan", "Matthew": "Matt",
    "Alejandro": "Álex", "Francisco": "Paco", "José": "Pepe", "Alessandro": "Sandro",
    "Maximilian": "Max", "Katarzyna": "Kasia", "Małgorzata": "Gosia", "Александр": "Саша",
    "Екатерина": "Катя", "Дмитрий": "Дима", "Γιώργος": "Γιωργάκης", "Oluwaseun": "Seun",
}

HANDLES = (
    "sunny", "blue", "river", "maple", "pixel", "tiger", "cloud", "coffee", "north",
    "lotus", "falcon", "ember", "harbor", "quill", "comet", "willow", "atlas", "nova",
)

MAIL_DOMAINS = (
    "example.com", "example.org", "example.net", "mail.example", "post.example",
    "inbox.example",
)

# (name, popularity weight, default cadence in days or None)
TAGS: tuple[tuple[str, int, int | None], ...] = (
    ("family", 6, 30), ("close-friends", 5, 14), ("friends", 12, 45), ("colleagues", 14, None),
    ("ex-colleagues", 10, 180), ("mentors", 2, 60), ("mentees", 2, 30), ("school", 6, None),
    ("university", 8, 120), ("neighbours", 4, None), ("book-club", 2, 30),
    ("climbing", 2, None), ("running", 3, None), ("chess", 1, None), ("music", 2, None),
    ("volunteering", 2, None), ("clients", 5, 90), ("investors", 1, 90),
    ("recruiters", 2, None), ("conference", 6, 365), ("open-source", 4, None),
    ("parents-at-school", 3, None), ("football", 2, None), ("travel", 3, None),
    ("cousins", 2, 90), ("in-laws", 2, 60), ("alumni", 4, None), ("startup", 2, None),
    ("photography", 1, None), ("language-exchange", 1, 21), ("café-regulars", 1, None),
    ("近所", 1, None),
)

ORGANIZATIONS = (
    "Analytical Engines Ltd", "Northwind Traders", "Contoso", "Globex", "Initech",
    "Umbrella Health", "Acme Robotics", "Hooli", "Stark Industries", "Wayne Foundation",
    "Tyrell Corp", "Cyberdyne Systems", "Soylent", "Vandelay Industries", "Pied Piper",
    "Massive Dynamic", "Aperture Science", "Black Mesa", "Monarch Solutions",
    "University of Leeds", "Universidad de Chile", "Sorbonne Université", "TU München",
    "東京大学", "清华大学", "서울대학교", "City Hospital", "Public Library", "Red Cross",
    "Freelance", "Self-employed", "Ministry of Transport", "Local Council",
)

TITLES = (
    "Engineer", "Senior Engineer", "Designer", "Product Manager", "Teacher", "Nurse",
    "Doctor", "Researcher", "Professor", "Accountant", "Lawyer", "Consultant", "Founder",
    "CTO", "Director", "Analyst", "Chef", "Architect", "Writer", "Student",
)

HOW_MET = (
    "university", "first job", "a friend's wedding", "PyCon", "the climbing gym",
    "neighbours on our old street", "book club", "through my sister", "a hackathon",
    "school gate", "on a train to Lyon", "language exchange", "football on Sundays",
    "volunteering at the food bank", "a conference dinner", "online, via open source",
)

TOPICS = (
    "the new job", "the move", "their kids", "the project", "holiday plans", "the book",
    "a side project", "the wedding", "health stuff", "the garden", "the conference",
    "money worries", "the new flat", "an introduction", "music", "the marathon",
)

PLACES = (
    "the Italian place", "their flat", "our place", "the ramen bar", "the pub", "the café",
    "the food market", "the tapas bar", "the dim sum place", "the park",
)

SUMMARIES: dict[str, tuple[str, ...]] = {
    "call": ("Catch-up call", "Called about {topic}", "Quick call re {topic}",
             "Long call, mostly about {topic}"),
    "video": ("Video call", "Video chat about {topic}", "FaceTime with the family"),
    "meeting": ("Coffee at {place}", "Met to talk about {topic}", "Walk in the park",
                "Met at the office"),
    "meal": ("Dinner at {place}", "Lunch at {place}", "Brunch", "Cooked together at {place}"),
    "message": ("Messaged about {topic}", "Sent a photo", "Birthday wishes",
                "Shared an article about {topic}", "Voice notes about {topic}"),
    "email": ("Email about {topic}", "Sent the notes on {topic}", "Intro email",
              "Long email about {topic}"),
    "letter": ("Postcard from holiday", "Handwritten letter", "Thank-you card"),
    "gift": ("Birthday present", "Brought flowers", "Sent a book about {topic}",
             "Souvenir from the trip"),
    "favor": ("Helped with the move", "Lent the car", "Reviewed their CV",
              "Watered the plants", "Introduction for {topic}"),
    "event": ("Party at {place}", "Concert", "Wedding", "Conference", "Game night",
              "Book club"),
    "other": ("Bumped into each other", "Ran into them at {place}", "Misc"),
}

# (kind, weight): messages dominate, letters are rare
KIND_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("message", 30), ("call", 15), ("email", 12), ("meal", 10), ("meeting", 10),
    ("video", 8), ("event", 5), ("gift", 3), ("favor", 3), ("letter", 1), ("other", 3),
)

NOTE_BODIES = (
    "Prefers messages to calls.", "Allergic to peanuts.", "Kids: two, both at primary school.",
    "Vegetarian; loves Ethiopian food.", "Training for a marathon in the spring.",
    "Ask about {topic} next time.", "Owes me a book.", "Moved to a new flat in the autumn.",
    "Great at introductions — knows everyone in the industry.",
    "Follow up about {topic}.", "Don't mention the old job.", "Partner's name is Sam.",
    "Birthday party is usually the first weekend of the month.",
    "Speaks four languages; learning Japanese.", "Recommended a great dentist.",
)

RELATIONSHIP_KINDS: tuple[tuple[str, int], ...] = (
    ("friend", 30), ("colleague", 25), ("spouse", 8), ("partner", 5), ("sibling", 8),
    ("parent", 5), ("child", 5), ("relative", 4), ("manager", 3), ("mentor", 2),
    ("introduced_by", 5),
)

DATE_LABELS = {
    "anniversary": ("Wedding", "First met", "Started at the company", "Moved to the city"),
    "custom": ("Name day", "Adoption day", "Graduation", "Sobriety anniversary",
               "Cat's birthday"),
}

REMINDER_TITLES = (
    "Send a birthday card", "Follow up about {topic}", "Return the book",
    "Ask how {topic} went", "Book dinner", "Send the photos", "Reply to the long email",
)
