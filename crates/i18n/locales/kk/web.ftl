## Веб-портал және консоль (web-…).
web-product = Qorgau
web-skip-to-content = Мазмұнға өту
web-nav-label = Басты мәзір
web-nav-home = Басты бет
web-nav-consents = Менің келісімдерім
web-nav-history = Деректеріммен кім не істеді
web-nav-requests = Менің өтініштерім
web-nav-inbox = Хабарламалар
web-nav-queue = Өтініштер
web-nav-purposes = Мақсаттар мен тізбелер
web-nav-org-consents = Келісімдер
web-nav-organization = Ұйым
web-nav-keys = API кілттері
web-nav-webhooks = Вебхуктар
web-nav-organizations = Ұйымдар
web-nav-overdue = Мерзімі өткен өтініштер
web-nav-ledger = Журнал және дәлелдемелер
web-language = Тіл
web-sign-out = Шығу
web-footer = Qorgau — «Дербес деректер және оларды қорғау туралы» № 94-V Заңға сәйкес дербес деректерге қол жеткізуді бақылау.
web-datetime = { $day }.{ $month }.{ $year }, { $hour }:{ $minute }
web-date = { $day }.{ $month }.{ $year }
web-yes = Иә
web-no = Жоқ
web-all = Барлығы
web-apply = Көрсету
web-save = Сақтау
web-back = Артқа
web-cancel = Болдырмау
web-continue = Жалғастыру
web-service = Qorgau
web-iin = ЖСН
web-bin = БСН
web-state = Күйі
web-organization = Ұйым
web-action = Әрекет
web-subject = Дербес деректер субъектісі
web-forbidden-title = Рұқсат етілмеген
web-forbidden-text = Нысан ескірген немесе осы сайттан жіберілмеген. Бетті қайта ашып, әрекетті қайталаңыз.
web-not-found-title = Табылмады
web-not-found-text = Мұнда сізге қолжетімді ештеңе жоқ.
web-failure-title = Сервис қолжетімсіз
web-failure-text = Біз жақта қате болды. Ештеңе өзгертілген жоқ. Бір минуттан кейін қайталаңыз.
web-sign-in-title = Кіру
web-sign-in-intro = ЖСН-іңізді енгізіңіз. Біз бір реттік кодты ұйымда растаған телефоныңызға немесе электрондық поштаңызға жібереміз.
web-send-code = Код алу
web-code-sent = Бұл ЖСН сервиске белгілі болса, 6 таңбалы код жіберілді. Ол 5 минут жарамды.
web-code = Код
web-sign-in = Кіру
web-start-again = Қайта бастау
web-totp-intro = Аутентификатор қосымшасындағы кодты немесе резервтік кодтардың бірін енгізіңіз.
web-totp-code = Код
web-home-title = Менің дербес деректерім
web-pending-title = Келісіміңізді сұраған ұйымдар
web-pending-none = Ешбір ұйым келісіміңізді күтіп тұрған жоқ.
web-summary-title = Қысқаша
web-active-count = Қолданыстағы келісімдер: { $count }.
web-consents-title = Менің келісімдерім
web-consents-none = Көрсететін келісім жоқ.
web-filter-state = Күйі
web-consent-state = { $state ->
    [pending] Жауабыңызды күтуде
    [active] Қолданыста
    [refused] Бас тартылды
    [lapsed] Мерзімінде жауап берілмеді
    [withdrawn] Кері қайтарып алынды
    [expired] Мерзімі өтті
    [superseded] Жаңа нұсқамен ауыстырылды
   *[other] { $state }
}
web-valid-until = { $date } дейін жарамды
web-consent-title = Дербес деректерді жинауға және өңдеуге келісім
web-term-operator = Кім сұрайды (меншік иесі немесе оператор)
web-term-purpose = Өңдеу мақсаты
web-term-period = Келісімнің мерзімі
web-term-from-until = { $from } бастап { $until } дейін
web-from-confirmation = келісім берген сәттен
web-term-data = Жиналатын дербес деректер
web-term-transfer = Үшінші тұлғаларға беру
web-term-cross-border = Трансшекаралық беру
web-term-public = Жалпыға бірдей қолжетімді дереккөздерде тарату
web-term-storage = Осы мақсат үшін сақтау мерзімі
web-term-other = Өзге де мәліметтер
web-term-representative = Заңды өкіл
web-days = { $count } күн
web-withdrawal-refused-title = Келісімді кері қайтарып алудан бас тартылды
web-withdrawal-ground = Ұйымның негізі: { $reference }
web-answer-title = Сіздің жауабыңыз
web-answer-by = { $date } дейін жауап беріңіз.
web-consent-code = Осы сұрау туралы хабарламадағы код
web-confirm = Келісім беру
web-refuse = Бас тарту
web-download-receipt = Қол қойылған түбіртекті жүктеп алу
web-withdraw = Келісімді кері қайтарып алу
web-consent-history = Келісіммен не болды
web-consent-event = { $event ->
    [requested] Ұйым сұрады
    [code_sent] Код жіберілді
    [confirmed] Келісім берілді
    [refused] Келісім беруден бас тартылды
    [withdrawn] Келісім кері қайтарып алынды
    [withdrawal_refused] Ұйым кері қайтарып алудан бас тартты
    [withdrawal_ground_stated] Ұйым кері қайтарып алудан бас тарту негізін көрсетті
    [expired] Мерзімі өтті
    [lapsed] Мерзімінде жауап берілмеді
    [superseded] Жаңа нұсқамен ауыстырылды
   *[other] Өзгертілді
}
web-withdraw-title = Келісімді кері қайтарып алу
web-withdraw-confirm = «{ $organization }» ұйымына «{ $purpose }» мақсатына берген келісіміңізді кері қайтарып аласыз ба?
web-withdraw-effect = Осы сәттен бастап ұйым заң өзге негізде рұқсат етпесе, деректеріңізді осы келісім бойынша өңдей алмайды.
web-withdraw-yes = Иә, кері қайтарып алу
web-history-title = Деректеріммен кім не істеді
web-history-intro = Сервисте жазылған дербес деректеріңізбен жасалған барлық әрекет, жаңалары алдымен. Әр жазбаның өзгертуден қорғалған журналда екенін дәлелдейтін сілтемесі бар.
web-history-none = Бұл таңдау бойынша жазба жоқ.
web-period-from = Басы
web-period-to = Соңы
web-proof = № { $index } дәлел
web-entry-processing = сіздің дербес деректеріңізді { $action }
web-entry-decision = деректеріңізге қол жеткізуді сұрады ({ $action }): { $outcome ->
    [allow] рұқсат етілді
   *[deny] бас тартылды
}
web-entry-kind = { $kind ->
    [consent-requested] келісіміңізді сұрады
    [consent-code_sent] сізге келісім кодын жіберді
    [consent-confirmed] сіз келісім бердіңіз
    [consent-refused] сіз келісім беруден бас тарттыңыз
    [consent-withdrawn] сіз келісімді кері қайтарып алдыңыз
    [consent-withdrawal_refused] келісімді кері қайтарып алудан бас тартты
    [consent-withdrawal_ground_stated] кері қайтарып алудан бас тарту негізін көрсетті
    [consent-expired] келісімнің мерзімі өтті
    [consent-lapsed] келісім сұрауына мерзімінде жауап берілмеді
    [consent-superseded] келісім жаңа нұсқамен ауыстырылды
    [request-filed] өтінішіңіз алынды
    [request-assigned] өтінішіңіз орындаушыға берілді
    [request-completed] өтінішіңізге жауап берілді
    [request-refused] өтінішіңізден бас тартылды
    [request-overdue] өтінішке жауап беру мерзімі өтті
    [notification-sent] сізге хабарлама жіберілді
    [signin-failed] кіру сәтсіз болды
    [signin-locked] кіру уақытша бұғатталды
    [session-started] сіз кірдіңіз
    [session-ended] сіз шықтыңыз
   *[other] сіз туралы жазба
}
web-requests-title = Менің өтініштерім
web-requests-none = Сіз әлі өтініш берген жоқсыз.
web-file-request = Өтініш беру
web-request-intro = Ұйымнан деректеріңізді өңдеу туралы сұраңыз немесе оларды өзгертуді, толықтыруды, бұғаттауды, бұғаттан шығаруды не жоюды талап етіңіз. Жауап заңда белгіленген жұмыс күндері ішінде берілуге тиіс.
web-organization-bin = Ұйымның БСН-і
web-request-kind = Не сұрайсыз
web-request-text = Өз сөзіңіз (өзгерту немесе толықтыру үшін міндетті)
web-file = Өтініш беру
web-request-title = Өтініш
web-request-state = { $state ->
    [open] Ашық
    [completed] Жауап берілді
    [refused] Бас тартылды
   *[other] { $state }
}
web-overdue = Мерзімі өтті
web-answered-late = Кешігіп жауап берілді
web-due = Жауап мерзімі: { $date }
web-due-by = Жауап мерзімі
web-received = Алынды
web-working-days = { $count } жұмыс күні
web-answer = Ұйымның жауабы
web-refusal-reason = Бас тарту себебі
web-destroyed-instead = Деректерді өзгерту мүмкін болмады, олар жойылды.
web-information-summary = Сервиске белгілі келісімдер: { $consents }; деректеріңізбен жазылған әрекеттер: { $processing }.
web-data-blocked = Дербес деректеріңіз осы ұйымда бұғатталған.
web-preferences-title = Сізді қалай хабардар ету
web-channels = Осындағы хабарламалардан басқа арналар
web-channel = { $channel ->
    [sms] SMS
   *[email] Электрондық пошта
}
web-digest = Күніне бәрі туралы бір хабарлама (кодтар бірден келеді)
web-inbox-title = Хабарламаларыңыз
web-inbox-none = Әзірге хабарлама жоқ.
web-delivery = { $status ->
    [queued] жіберуді күтуде
    [sent] жіберілді
    [delivered] жеткізілді
    [failed] жеткізу мүмкін болмады
    [inbox] тек осында
    [held] күнделікті хабарламаға қалдырылды
    [digested] күнделікті хабарламамен жіберілді
   *[other] { $status }
}
web-console-sign-in-title = Ұйымның консолі
web-console-intro = Қызметкерлер әрқашан құпиясөзбен, содан кейін аутентификатор кодымен кіреді.
web-email = Электрондық пошта
web-password = Құпиясөз
web-enroll-title = Аутентификаторды баптаңыз
web-enroll-intro = Алғашқы кіруді аяқтау үшін Qorgau-ды аутентификатор қосымшасына (TOTP) қосыңыз.
web-enroll-secret = Осы кілтті енгізіңіз немесе төмендегі сілтемені қосымшасы бар телефонда ашыңыз:
web-enroll-confirm = Растау
web-recovery-title = Резервтік кодтар
web-recovery-intro = Бұл кодтарды сенімді жерде сақтаңыз. Аутентификаторды жоғалтсаңыз, әрқайсысы бір рет жарамды. Олар тек қазір көрсетіледі.
web-queue-title = Субъектілердің өтініштері
web-queue-caption = Өтініштер, мерзімі жақындары алдымен
web-queue-empty = Бұл таңдау бойынша өтініш жоқ.
web-only-overdue = Тек мерзімі өткендер
web-complete-title = Өтінішке жауап беру
web-answer-text = Жауап немесе не істелді
web-destroyed-instead-option = Деректерді өзгерту мүмкін болмады, олар жойылды
web-complete = Жауапты жіберу
web-refuse-title = Өтініштен бас тарту
web-refuse-request = Осы себеппен бас тарту
web-acting-for = Сіз { $name } атынан заңды өкіл ретінде әрекет етесіз (негіз: { $basis }; { $until } дейін). Мұндағы әрекеттеріңіз оның атынан сіз жасаған әрекет ретінде тіркеледі.
web-act-for-myself = Өз есептік жазбама оралу
web-acting-lapsed = Бұл адамның атынан әрекет ету өкілеттігіңіздің мерзімі аяқталды. Өз есептік жазбаңыз көрсетілген.
web-represented-title = Мен өкілі болып табылатын адамдар
web-represented-intro = Заңды өкіл ретінде сіз осы адамдардың атынан олардың атынан келісім берген кезде тіркелген өкілеттік шегінде әрекет ете аласыз.
web-represented-none = Сіз ешкімнің өкілі емессіз.
web-authority = Негіз: { $basis }; { $until } дейін
web-act-for = { $name } атынан әрекет ету
web-not-represented = Бұл адамның атынан әрекет етуге қолданыстағы өкілеттігіңіз жоқ.
web-preferences-own-only = Хабарламаларды жеткізу тәсілін адамның өзі таңдайды; өкіл оны өзгерте алмайды.
web-authority-basis = { $basis ->
    [parent] ата-ана
    [guardian] қорғаншы
    [trustee] қамқоршы
    [power_of_attorney] сенімхат
   *[other] { $basis }
}
