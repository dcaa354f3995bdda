## Консоль: ұйым, API кілттері, вебхуктар (web-settings-…).
web-settings-role-refused = Сіздің рөліңіз бұған рұқсат бермейді. Ұйымның әкімшісіне хабарласыңыз.
web-settings-failed-title = Орындалмады
web-settings-actions = Әрекеттер
web-settings-done = Дайын
web-settings-never = Ешқашан
web-settings-secret-once = Құпияны қазір көшіріп алыңыз. Ол тек осы жолы көрсетіледі және оқылатын түрде сақталмайды: жоғалса, кілтті ауыстырыңыз немесе жаңасын шығарыңыз.

web-settings-org-title = Ұйым
web-settings-record-title = Тіркеу мәліметтері
web-settings-org-name = Атауы
web-settings-org-kind = Түрі
web-settings-kind = { $kind ->
    [owner] Дербес деректерді қамтитын базаның меншік иесі
    [operator] Дербес деректерді қамтитын базаның операторы
    [third_party] Үшінші тұлға
   *[other] { $kind }
}
web-settings-org-registered = Сервисте тіркелген

web-settings-dpo-title = Дербес деректерді өңдеуді ұйымдастыруға жауапты адам
web-settings-dpo-intro = Заңды тұлға осындай адамды тағайындайды (Заңның 25-бабы 2-тармағының 10) тармақшасы). Ол заңнаманың сақталуына ішкі бақылауды жүзеге асырады, қызметкерлерге заңнаманың ережелерін жеткізеді және субъектілердің өтініштерін қабылдау мен өңдеуді бақылайды (25-баптың 3-тармағы); дербес деректер қауіпсіздігінің бұзылуы туралы хабарлағанда оның байланыс деректері уәкілетті органға көрсетіледі.
web-settings-dpo-name = Тегі, аты, әкесінің аты
web-settings-dpo-phone = Телефон
web-settings-dpo-email = Электрондық пошта
web-settings-dpo-change-title = Басқа адамды тағайындау немесе байланыс деректерін өзгерту
web-settings-dpo-contact-hint = Телефон (+77011234567 түрінде), электрондық пошта немесе екеуі де: кемінде біреуі.
web-settings-dpo-save = Сақтау
web-settings-dpo-read-only = Мұны тек ұйымның әкімшісі өзгерте алады.
web-settings-dpo-contact-required = Жауапты адамның телефонын немесе электрондық поштасын көрсетіңіз.
web-settings-invalid-dpo-name = Адамның атын енгізіңіз (200 таңбаға дейін).

web-settings-policy-title = Дербес деректерді жинауға, өңдеуге және қорғауға қатысты саясат
web-settings-policy-intro = Оператордың дербес деректерді жинауға, өңдеуге және қорғауға қатысты саясатын айқындайтын құжаттар (Заңның 25-бабы 2-тармағының 1-1) тармақшасы). Әр бекіту — жаңа редакция; бұрынғы редакциялар сақталады.
web-settings-policy-none = Саясат туралы құжат әлі жазылмаған.
web-settings-policy-caption = Саясат туралы құжаттың редакциялары, алдымен жаңалары
web-settings-policy-version = Редакция
web-settings-policy-current = қолданыстағы
web-settings-policy-doc-title = Атауы
web-settings-policy-adopted-on = Бекітілген күні
web-settings-policy-document = Құжат
web-settings-policy-open = Жарияланған құжат
web-settings-policy-text = Мәтіні
web-settings-policy-sha256 = SHA-256
web-settings-policy-recorded = Жазылған уақыты
web-settings-policy-adopt-title = Жаңа редакцияны бекіту
web-settings-policy-url = Жарияланған мекенжайы (https)
web-settings-policy-url-hint = Мәтін берілсе, міндетті емес. Тек https:// мекенжайлары.
web-settings-policy-text-hint = Мекенжай берілсе, міндетті емес; { $max } КиБ-тан аспайды. SHA-256 осы мәтін бойынша есептеледі.
web-settings-policy-sha256-hint = Жарияланған файлдың SHA-256 хэші (64 оналтылық цифр). Тек мекенжай берілсе, міндетті.
web-settings-policy-adopt = Редакцияны бекіту
web-settings-policy-read-only = Жаңа редакцияны тек ұйымның әкімшісі немесе өңдеуді ұйымдастыруға жауапты адам бекіте алады.
web-settings-invalid-title = Атауын енгізіңіз (300 таңбаға дейін).
web-settings-invalid-adopted-on = Бекітілген күнін енгізіңіз: болашақта емес және Заң қабылданған 21.05.2013 күнінен ерте емес.
web-settings-invalid-policy-url = Мекенжай https:// деп басталып, сайтты көрсетуі керек.
web-settings-invalid-text = Мәтінді немесе мекенжайды беріңіз. Мәтін { $max } КиБ-тан аспауы керек.
web-settings-invalid-sha256 = SHA-256 — 64 оналтылық цифр; мәтін берілсе, оған сәйкес келуі керек. Мәтін болмаса, ол міндетті.
web-settings-adopted-before-previous = Жаңа редакция қолданыстағысынан ({ $date }) бұрын бекітіле алмайды.

web-settings-keys-title = API кілттері
web-settings-keys-intro = Кілттер ұйымның жүйелеріне Qorgau API-іне жүгінуге мүмкіндік береді. Әр кілттің қол жеткізу аясы бар; құпия бір рет — кілт шығарылғанда немесе ауыстырылғанда көрсетіледі.
web-settings-keys-caption = Ұйымның API кілттері
web-settings-keys-none = Ұйымның әлі API кілттері жоқ.
web-settings-key-label = Белгі
web-settings-key-scopes = Қол жеткізу аясы
web-settings-key-created = Шығарылған
web-settings-key-last-used = Соңғы пайдаланылуы
web-settings-key-active = Қолданыста
web-settings-key-revoked = Кері қайтарылды
web-settings-key-ended = Ауыстырылғаннан кейін тоқтады
web-settings-key-ends = { $time } дейін жұмыс істейді
web-settings-key-rotate = Ауыстыру
web-settings-key-revoke = Кері қайтару
web-settings-key-issue-title = Кілт шығару
web-settings-key-issue = Кілтті шығару
web-settings-key-scopes-required = Кемінде бір қол жеткізу аясын таңдаңыз.
web-settings-invalid-label = Белгіні енгізіңіз (200 таңбаға дейін).
web-settings-key-issued-title = Кілт шығарылды
web-settings-key-rotated-title = Кілт ауыстырылды
web-settings-key-secret = Кілт
web-settings-key-usage = Оны әр сұрауда жіберіңіз: Authorization: Bearer, одан кейін кілт.
web-settings-scope = { $scope ->
    [catalogue-write] Мақсаттар мен тізбелер (catalogue:write)
    [consents-read] Келісімдерді оқу (consents:read)
    [consents-write] Келісім сұрау (consents:write)
    [decisions] Қол жеткізу туралы шешімдер (decisions)
    [ledger-read] Журнал (ledger:read)
    [events] Оқиғалар мен вебхуктар (events)
    [requests] Субъектілердің өтініштері (requests)
   *[other] { $scope }
}
web-settings-rotate-title = Кілтті ауыстыру
web-settings-rotate-confirm = «{ $label }» орнына дәл сондай қол жеткізу аясы бар жаңа кілт шығарылсын ба?
web-settings-rotate-grace = Ескі кілт жұмыс істей береді
web-settings-grace = { $seconds ->
    [0] жоқ: қазір тоқтайды
    [3600] 1 сағат
    [86400] 1 тәулік
    [604800] 7 тәулік
   *[other] { $seconds } секунд
}
web-settings-revoke-title = Кілтті кері қайтару
web-settings-revoke-confirm = «{ $label }» кілті кері қайтарылсын ба?
web-settings-revoke-effect = Ол бірден жұмысын тоқтатады; оны пайдаланатын жүйелерге бас тартылады. Мұны болдырмау мүмкін емес.
web-settings-revoke-yes = Иә, кері қайтару

web-settings-webhooks-title = Вебхуктар
web-settings-webhooks-intro = Qorgau ұйымның жүйелеріне келісімдер мен өтініштер туралы қол қойылған HTTP сұрауларымен хабарлайды (Standard Webhooks). Қол қою құпиясы бір рет — мекенжай тіркелгенде көрсетіледі.
web-settings-webhooks-caption = Ұйымның вебхук мекенжайлары
web-settings-webhooks-none = Мекенжайлар тіркелмеген.
web-settings-webhook-url = Мекенжай
web-settings-webhook-url-hint = Оқиғалар жіберілетін мекенжай (https:// ұсынылады).
web-settings-webhook-events = Оқиғалар
web-settings-events-all = Барлық оқиғалар
web-settings-event = { $event ->
    [consent-confirmed] Келісім берілді
    [consent-refused] Келісімнен бас тартылды
    [consent-withdrawn] Келісім кері қайтарып алынды
    [consent-expired] Келісімнің мерзімі аяқталды
    [consent-superseded] Келісім жаңа редакциямен ауыстырылды
    [request-filed] Өтініш қабылданды
    [request-overdue] Өтініштің мерзімі өтті
   *[other] { $event }
}
web-settings-webhook-created = Тіркелген
web-settings-webhook-live = Қолданыста
web-settings-webhook-disabled = Өшірілген
web-settings-webhook-register-title = Мекенжайды тіркеу
web-settings-webhook-register = Тіркеу
web-settings-webhook-events-required = Кемінде бір оқиғаны таңдаңыз.
web-settings-invalid-webhook-url = Хост атауы бар, бос орынсыз http:// немесе https:// мекенжайын енгізіңіз.
web-settings-webhook-too-many = Ұйымда мекенжайлардың ең көп рұқсат етілген саны бар. Алдымен біреуін өшіріңіз.
web-settings-webhook-registered-title = Мекенжай тіркелді
web-settings-webhook-secret = Қол қою құпиясы
web-settings-webhook-secret-usage = Әр сұраудың webhook-signature тақырыбын осы құпиямен тексеріңіз (webhook-id, webhook-timestamp және дененің HMAC-SHA256 мәні).
web-settings-webhook-title = Вебхук мекенжайы
web-settings-webhook-disable = Өшіру
web-settings-deliveries-title = Соңғы жеткізулер
web-settings-deliveries-caption = Осы мекенжайға соңғы жеткізулер, алдымен жаңалары
web-settings-deliveries-none = Мұнда әлі ештеңе жіберілген жоқ.
web-settings-delivery-event = Оқиға
web-settings-delivery-created = Кезекке қойылған
web-settings-delivery-attempts = Әрекеттер саны
web-settings-delivery-last-error = Соңғы қате
web-settings-delivery-status = { $status ->
    [queued] Жіберуді күтуде
    [delivered] Жеткізілді
    [failed] Жеткізілмеді
   *[other] { $status }
}
web-settings-disable-title = Мекенжайды өшіру
web-settings-disable-confirm = Осы мекенжайға оқиғаларды жіберу тоқтатылсын ба?
web-settings-disable-effect = Онда жіберуді әлі күтіп тұрғанның бәрі жеткізілмеді деп белгіленеді. Мұны болдырмау мүмкін емес; қайта бастау үшін мекенжайды қайта тіркеңіз.
web-settings-disable-yes = Иә, өшіру
