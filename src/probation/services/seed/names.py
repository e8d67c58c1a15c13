"""Embedded name lists for synthetic people and staff, grouped loosely by naming tradition so
a person's name, ethnicity and first language fit together."""

from __future__ import annotations

BRITISH_MALE = (
    "James", "John", "David", "Michael", "Paul", "Mark", "Daniel", "Thomas", "Christopher",
    "Matthew", "Andrew", "Richard", "Steven", "Lee", "Craig", "Ryan", "Liam", "Jordan", "Connor",
    "Kyle", "Jack", "Callum", "Jamie", "Dean", "Wayne", "Gary", "Darren", "Scott", "Shaun", "Carl",
    "Anthony", "Kevin", "Jason", "Stuart", "Nathan", "Adam", "Ben", "Josh", "Luke", "Aaron",
    "Reece", "Bradley", "Kieran", "Harry", "George", "Peter", "Robert", "William", "Sean", "Owen",
)
BRITISH_FEMALE = (
    "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Kelly", "Lisa", "Claire", "Nicola", "Amy",
    "Hannah", "Jade", "Chloe", "Stacey", "Donna", "Michelle", "Joanne", "Karen", "Leanne", "Natalie",
    "Danielle", "Samantha", "Charlotte", "Sophie", "Lauren", "Jessica", "Rachel", "Kirsty",
    "Amanda", "Tracey", "Louise", "Zoe", "Victoria", "Hayley", "Katie", "Megan", "Ellie", "Holly",
)
BRITISH_SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Hughes", "Edwards", "Lewis", "Harris", "Martin", "Cooper", "Turner", "Hill", "Ward",
    "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
    "Scott", "Phillips", "Watson", "Davis", "Parker", "Bennett", "Price", "Griffiths", "Young",
    "Kelly", "Murphy", "O'Brien", "Doyle", "McDonald", "Campbell", "Stewart", "Murray", "Reid",
    "Price", "Powell", "Jenkins", "Owen", "Lloyd", "Bailey", "Marshall", "Cox", "Richardson",
)

SOUTH_ASIAN_MALE = ("Mohammed", "Imran", "Amir", "Bilal", "Hassan", "Raj", "Sanjay", "Arjun",
                    "Usman", "Zain", "Tariq", "Harpreet", "Gurpreet", "Rahul", "Ali", "Kamran")
SOUTH_ASIAN_FEMALE = ("Aisha", "Fatima", "Priya", "Sana", "Nadia", "Ayesha", "Simran", "Anjali",
                      "Zara", "Amina", "Rukhsana", "Parveen")
SOUTH_ASIAN_SURNAMES = ("Khan", "Ahmed", "Hussain", "Ali", "Patel", "Begum", "Iqbal", "Akhtar",
                        "Shah", "Singh", "Kaur", "Rahman", "Islam", "Mahmood", "Sharma", "Bibi")

AFRICAN_CARIBBEAN_MALE = ("Tyrone", "Marcus", "Jerome", "Andre", "Kwame", "Emmanuel", "Olu",
                          "Tunde", "Delroy", "Leon", "Malik", "Kofi", "Chidi", "Samuel", "Isaac")
AFRICAN_CARIBBEAN_FEMALE = ("Shanice", "Aaliyah", "Grace", "Precious", "Tanisha", "Chantelle",
                            "Blessing", "Funmi", "Keisha", "Abena", "Marcia", "Joy")
AFRICAN_CARIBBEAN_SURNAMES = ("Campbell", "Francis", "Grant", "Brown", "Okafor", "Adeyemi",
                              "Mensah", "Boateng", "Johnson", "Williams", "Thomas", "Mohamed",
                              "Osei", "Clarke", "Henry", "Richards", "Samuels", "Ibrahim")

EAST_EUROPEAN_MALE = ("Piotr", "Tomasz", "Krzysztof", "Marcin", "Andrei", "Ionut", "Mindaugas",
                      "Jonas", "Pavel", "Lukasz", "Bogdan", "Dariusz")
EAST_EUROPEAN_FEMALE = ("Agnieszka", "Katarzyna", "Anna", "Ioana", "Elena", "Ruta", "Monika",
                        "Magdalena", "Andreea", "Jurgita")
EAST_EUROPEAN_SURNAMES = ("Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Popescu",
                          "Ionescu", "Kazlauskas", "Petrauskas", "Lewandowski", "Dumitru",
                          "Zielinski", "Stan", "Jankauskas")

EAST_ASIAN_MALE = ("Wei", "Jun", "Hao", "Ming", "Minh", "Tuan")
EAST_ASIAN_FEMALE = ("Mei", "Li", "Xin", "Lan", "Linh", "Hoa")
EAST_ASIAN_SURNAMES = ("Chen", "Wang", "Li", "Zhang", "Nguyen", "Tran", "Wong", "Liu")

ARAB_MALE = ("Omar", "Ahmad", "Khalid", "Yusuf", "Karim", "Mahmoud")
ARAB_FEMALE = ("Layla", "Mariam", "Noor", "Huda", "Yasmin", "Rania")
ARAB_SURNAMES = ("Hassan", "Abdullah", "Saleh", "Haddad", "Mansour", "Nasser")

# tradition -> (male first names, female first names, surnames)
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (BRITISH_MALE, BRITISH_FEMALE, BRITISH_SURNAMES),
    "south_asian": (SOUTH_ASIAN_MALE, SOUTH_ASIAN_FEMALE, SOUTH_ASIAN_SURNAMES),
    "african_caribbean": (AFRICAN_CARIBBEAN_MALE, AFRICAN_CARIBBEAN_FEMALE,
                          AFRICAN_CARIBBEAN_SURNAMES),
    "east_european": (EAST_EUROPEAN_MALE, EAST_EUROPEAN_FEMALE, EAST_EUROPEAN_SURNAMES),
    "east_asian": (EAST_ASIAN_MALE, EAST_ASIAN_FEMALE, EAST_ASIAN_SURNAMES),
    "arab": (ARAB_MALE, ARAB_FEMALE, ARAB_SURNAMES),
}
