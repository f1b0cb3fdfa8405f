package synth

// The words notes are made of. Names and places are common ones, made-up ones and
// hard ones (words that are names too, names that are eponyms, apostrophes, letters
// beyond ASCII); none belongs to anyone in particular.
var (
	firstNames = []string{
		"James", "Mary", "Robert", "Patricia", "Michael", "Linda", "David", "Barbara", "Maria", "Jose",
		"Wei", "Mei", "Nguyen", "Aisha", "Mohammed", "Fatima", "DeShawn", "Latoya", "Siobhan", "Zoë",
		"José", "Guadalupe", "Priya", "Rahul", "Olga", "Dmitri", "Kwame", "Ngozi", "Hiroshi", "Yuki",
		"Hope", "Will", "Grace", "Faith", "Bill", "Rose", "Mark", "April", "June", "Dawn",
		"Joy", "Sky", "Frank", "Jack", "Art", "Sue", "Ray", "Jean", "Carol", "Bob",
		"Eleanor", "Harold", "Dolores", "Walter", "Agnes", "Earl", "Mildred", "Chester", "Ruth", "Vernon",
	}
	lastNames = []string{
		"Smith", "Johnson", "Garcia", "Martinez", "Nguyen", "Kim", "Patel", "Okafor", "Kowalski", "Schmidt",
		"O'Brien", "McDonald", "MacLeod", "DeLuca", "Van der Berg", "García", "Müller", "Søren", "Okafor-Lind", "St. John",
		"Brown", "White", "Young", "King", "Hill", "Green", "Bell", "Wilson", "Murphy", "Allen",
		"Jones", "Price", "Long", "Cook", "Wood", "Black", "Stone", "Banks", "Moss", "Fox",
		"Abernathy", "Quenby", "Velasquez", "Thibodeaux", "Yazzie", "Begay", "Kahananui", "Oyelaran", "Zielinski", "Haddad",
	}
	syllableList = []string{
		"ka", "lo", "ver", "an", "mi", "ra", "del", "to", "sen", "ba", "ri", "nor", "el", "vi", "qua", "zen",
		"tor", "lin", "dar", "bey", "ho", "mak", "sel", "wyn", "fa", "gor", "ush", "tam", "bri", "ol",
	}
	streetNames = []string{
		"Larkspur", "Oak", "Maple", "Main", "Cedar Hollow", "Martin Luther King Jr", "Old Mill", "Pine Ridge",
		"Elm", "Washington", "Sunset", "Willow Creek", "Third", "Lakeview", "Hawthorne", "River Bend",
	}
	cities = []string{
		"Brookhaven|GA", "Marble Falls|TX", "San Antonio|TX", "St. Louis|MO", "Fort Wayne|IN", "Eau Claire|WI",
		"Springfield|IL", "Bend|OR", "Hope|AR", "Normal|IL", "Paris|TX", "Mobile|AL", "Salem|MA", "Flint|MI",
		"Tillamook|OR", "Bangor|ME", "Duluth|MN", "Yakima|WA", "Lafayette|LA", "Scranton|PA", "Boise|ID",
		"Las Cruces|NM", "Cedar Rapids|IA", "Kalamazoo|MI", "Winston-Salem|NC", "Coeur d'Alene|ID",
	}
	problems = []string{
		"type 2 diabetes", "hypertension", "CHF with EF 35%", "COPD", "CKD stage 3", "atrial fibrillation",
		"community-acquired pneumonia", "cellulitis of the left leg", "UTI", "NSTEMI", "DKA", "GI bleed",
		"Parkinson disease", "hypothyroidism", "major depressive disorder", "osteoarthritis of both knees",
	}
	meds = []string{
		"Metoprolol 25 mg PO BID", "lisinopril 10 mg daily", "atorvastatin 40mg nightly", "metformin 500 mg twice daily",
		"apixaban 5 mg BID", "furosemide 40 mg IV x1", "insulin glargine 22 units at bedtime", "ceftriaxone 1 g IV q24h",
		"levothyroxine 75 mcg daily", "sertraline 50 mg", "acetaminophen 650 mg q6h PRN", "albuterol 2 puffs q4h prn",
	}
	fillers = []string{
		"Denies chest pain, dyspnea or palpitations.",
		"Reports 3/10 pain, improved from 7/10 yesterday.",
		"Lungs clear bilaterally; no edema.",
		"Gait steady with walker; fall risk score 45.",
		"Ate 75% of breakfast. Voided x2.",
		"Troponin 0.04 then 0.03; ECG with no acute ST changes.",
		"Weight 82.4 kg, down 1.2 kg since admission.",
		"A1c 8.2% in 2023, 7.4% this year.",
		"Strength 5/5 in all extremities; reflexes 2+.",
		"Received influenza vaccine in 2024; COVID-19 booster declined.",
		"PHQ-9 score 12. Discussed with the team.",
		"Wound 2.5 x 1.0 cm, granulating, no drainage.",
		"Blood glucose 142-188 on sliding scale, 4 units given at 1130.",
		"Echo in 2022 showed EF 40-45%, moderate MR.",
		"Negative Homans sign. Romberg negative.",
		"Seen by Cardiology and Physical Therapy.",
		"Allergies: penicillin (rash), sulfa.",
		"Takes B12 1000 mcg and vitamin D3 2000 IU daily.",
	}
	findings = []string{
		"No acute cardiopulmonary process.", "Small left pleural effusion.", "4 mm nodule in the right upper lobe, unchanged.",
		"Mild degenerative changes at L4-L5.", "No intracranial hemorrhage.", "Cholelithiasis without cholecystitis.",
		"Moderate joint space narrowing, medial compartment.", "Heart size normal.",
	}
)
