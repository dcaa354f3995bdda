## Мәселелер (application/problem+json). Әр мәтіннің қасындағы код өзгермейді.
problem-malformed_json = Сұрау денесі күтілген құрылымдағы дұрыс JSON емес.
problem-unsupported_media_type = Сұрау денесін application/json ретінде жіберіңіз.
problem-method_not_allowed = Бұл әдіс осы ресурс үшін рұқсат етілмейді.
problem-payload_too_large = Сұрау денесі тым үлкен.
problem-validation_failed = Мән жоқ, тым ұзын немесе мұнда рұқсат етілмейді.
problem-invalid_iin = ЖСН жарамсыз: ол бақылау цифры мен туған күні дұрыс 12 цифрдан тұруы керек.
problem-invalid_bin = БСН жарамсыз: ол бақылау цифры дұрыс 12 цифрдан тұруы керек.
problem-invalid_country = Ел коды ISO 3166-1 alpha-2 коды емес.
problem-invalid_category_code = Деректер санатының коды: 2–64 кіші латын әрпі, цифр, «_» немесе «.».
problem-invalid_purpose_code = Мақсат коды: 2–64 кіші латын әрпі, цифр, «_» немесе «.».
problem-unknown_category = { $category } деректер санаты каталогта жоқ.
problem-unknown_purpose = Ұйым { $purpose } мақсатын жарияламаған.
problem-unknown_holder = Мұндай БСН-мен меншік иесі немесе оператор тіркелмеген.
problem-category_not_approved = { $category } деректер санаты осы мақсаттың бекітілген тізбесінде жоқ (Заңның 7-бабының 9-тармағы, 25-бабы 2-тармағының 1) тармақшасы).
problem-dates_out_of_order = Күндер ретсіз: аяқталуы басталуынан кейін болуы керек.
problem-term_in_past = Келісімнің мерзімі өтіп кеткен.
problem-invalid_contact = Байланыс жарамсыз: +77011234567 түріндегі телефон нөмірі немесе электрондық пошта мекенжайы.
problem-invalid_cursor = Бет курсоры жарамсыз.
problem-unauthenticated = Жүйеге кіріңіз немесе жарамды API кілтін жіберіңіз.
problem-forbidden = Сізге бұл әрекетке рұқсат жоқ.
problem-insufficient_scope = API кілтінде { $scope } қол жеткізу аясы жоқ.
problem-not_found = Табылмады.
problem-organization_exists = Осы БСН-мен ұйым бұрыннан тіркелген.
problem-category_exists = Осы кодпен деректер санаты бұрыннан бар.
problem-purpose_exists = Ұйымда осы кодпен мақсат бұрыннан бар.
problem-not_an_operator = Дербес деректерді тек меншік иесі немесе оператор жинап, келісім сұрай алады.
problem-consent_not_pending = Келісім сұрауына жауап берілген.
problem-consent_request_lapsed = Бұл келісім сұрауына жауап беру уақыты өтіп кетті.
problem-consent_not_active = Келісім қолданыста емес.
problem-supersedes_mismatch = Жаңа нұсқамен тек сол оператордың, субъектінің және мақсаттың қолданыстағы келісімін ауыстыруға болады.
problem-code_invalid = Код қате.{ $attempts_left ->
    [none] {""}
   *[other] { " " }Қалған әрекеттер: { $attempts_left }.
}
problem-code_expired = Кодтың мерзімі өтті. Жаңасын сұраңыз.
problem-code_attempts_exhausted = Қате кодтар тым көп. Жаңасын сұраңыз.
problem-code_resend_limit = Бұл сұрау үшін бұдан артық код жіберуге болмайды.
problem-no_contact = Кодты жіберетін телефон нөмірі немесе электрондық пошта мекенжайы жоқ.
problem-representative_authority_expired = Заңды өкілдің өкілеттігі аяқталды.
problem-not_yet_checkpointed = Жазба әлі қол қойылған бақылау нүктесімен қамтылмаған. Бірнеше секундтан кейін қайталаңыз.
problem-unavailable = Сервис уақытша қолжетімсіз. Сәлден соң қайталаңыз.
problem-internal = Біз жақта қате шықты. Ештеңе өзгерген жоқ; қайталап көріңіз.
problem-request_not_open = Өтінішке жауап берілген.
problem-documents_required = Дербес деректерді өзгерту немесе толықтыру туралы өтінішке кемінде бір растайтын құжат қажет.
problem-reason_required = Бас тартуда оның себебі көрсетілуге тиіс.
problem-weak_password = Құпиясөз { $min }–{ $max } таңбадан тұруы керек, жиі қолданылатын болмауы, бір таңбаның қайталануынан тұрмауы және логиніңізді қамтымауы тиіс.
problem-credentials_invalid = Логин, құпиясөз немесе код дұрыс емес.
problem-mfa_required = Кіруді екінші фактормен растаңыз (аутентификатор қосымшасының коды немесе қалпына келтіру коды).
problem-mfa_not_enrolled = Алдымен аутентификатор қосымшасын қосыңыз.
problem-too_many_attempts = Әрекет тым көп. { $retry_after } секундтан кейін қайталаңыз.
problem-csrf_failed = Сұрауда осы сессияның сұрауды қолдан жасаудан қорғау токені жоқ.
problem-account_exists = Мұндай логині бар тіркелгі бұрыннан бар.
problem-account_disabled = Бұл тіркелгі өшірілген.

## Адамдарға хабарламалар.
message-consent_code = Qorgau: { $organization } дербес деректерді өңдеуге ({ $purpose }) келісіміңізді сұрайды. Код: { $code }. { $minutes } минут жарамды. Оны ешкімге айтпаңыз.
message-signin_code = Qorgau: жүйеге кіру кодыңыз { $code }. { $minutes } минут жарамды. Оны ешкімге айтпаңыз.
message-request_received = Qorgau: { $organization } өтінішіңізді ({ $kind }) алды. Жауап { $due } қоса алғанға дейін берілуге тиіс.
message-request_completed = Qorgau: { $organization } өтінішіңізге ({ $kind }) жауап берді. Жауап Qorgau-да.
message-request_refused = Qorgau: { $organization } өтінішіңіз ({ $kind }) бойынша бас тартты және себебін көрсетті. Толығырақ Qorgau-да.
message-request_overdue = Qorgau: { $organization } өтінішіңізге ({ $kind }) { $due } дейін жауап бермеді. Мерзім өтті; ұйымның жауапты адамына хабарланды.
message-request_overdue_dpo = Qorgau: субъектінің { $organization } ұйымына өтінішіне ({ $kind }, { $reference }) жауап беру мерзімі { $due } өтті. Дереу жауап беріңіз.
message-consent_given = Qorgau: сіз { $organization } ұйымына дербес деректеріңізді өңдеуге келісім бердіңіз ({ $purpose }).
message-consent_refused = Qorgau: сіз { $organization } ұйымына келісім беруден бас тарттыңыз ({ $purpose }).
message-consent_withdrawn = Qorgau: { $organization } ұйымына берген келісіміңіз ({ $purpose }) кері қайтарылды; оның негізіндегі өңдеу тоқтатылуға тиіс.
message-withdrawal_refused = Qorgau: { $organization } келісімді кері қайтарып алудан бас тартты ({ $purpose }). Негіз: { $reference }. { $reason }
message-consent_expired = Qorgau: { $organization } ұйымына берген келісіміңіздің ({ $purpose }) мерзімі аяқталды.
message-digest = Qorgau: бүгінгі хабарламаларыңыз ({ $count }):
    { $items }
message-data_processed = Qorgau: { $organization } «{ $purpose }» мақсатында сіздің дербес деректеріңізді ({ $categories }) { data-action-done }{ $recipient ->
    [none] .
   *[other] , алушы: { $recipient }.
}
data-action-done = { $action ->
    [collect] жинады
    [view] қарады
    [change] өзгертті
    [supplement] толықтырды
    [use] пайдаланды
    [transfer] берді
    [disseminate] жалпыға қолжетімді көздерде таратты
    [depersonalize] иесіздендірді
    [block] бұғаттады
    [destroy] жойды
   *[other] өңдеді
}
request-kind = { $kind ->
    [information] деректеріңізді өңдеу туралы ақпарат
    [change] деректеріңізді өзгерту
    [supplement] деректеріңізді толықтыру
    [block] деректеріңізді бұғаттау
    [unblock] деректеріңізді бұғаттаудан шығару
    [destroy] деректеріңізді жою
   *[remove_from_public_sources] деректеріңізді жалпыға қолжетімді дереккөздерден алып тастау
 }

## Қол жеткізу туралы шешімдердің негіздері. Әр мәтіннің жанындағы код өзгермейді.
reason-ART8_CONSENT_IN_FORCE = Субъектінің осы мақсатқа берген келісімі қолданыста және осы қол жеткізуді қамтиды.
reason-ART9_GROUND_APPLIES = Ұйым тіркелген 9-баптың негізі бойынша келісімсіз рұқсат етіледі.
reason-ART16_2_ADEQUATE_COUNTRY = Алушы ел дербес деректердің қорғалуын қамтамасыз етеді.
reason-ART16_3_1_CROSS_BORDER_CONSENT = Субъект осы елге трансшекаралық беруге келісім берген.
reason-ART16_3_CROSS_BORDER_GROUND = Трансшекаралық беру 16-баптың 3-тармағының негізіне сүйенеді.
reason-ART18_PROTECTIVE_ACTION = Дербес деректерді бұғаттау мен жоюға келісім қажет емес.
reason-ART7_1_NO_ACTIVE_CONSENT = Субъектінің осы мақсатқа қолданыстағы келісімі жоқ.
reason-ART7_8_PURPOSE_NOT_CONSENTED = Субъект басқа мақсаттарға келісім берген, бұл мақсатқа емес.
reason-ART8_CONSENT_WITHDRAWN = Субъект келісімді кері қайтарып алды.
reason-ART8_4_CONSENT_EXPIRED = Келісімнің қолданылу мерзімі аяқталды.
reason-ART8_4_CONSENT_NOT_YET_VALID = Келісімнің қолданылу мерзімі әлі басталған жоқ.
reason-ART8_CONSENT_SUPERSEDED = Келісімнің бұл нұсқасы жаңасымен ауыстырылған.
reason-ART7_9_CATEGORY_NOT_CONSENTED = Келісім сұралған дербес деректердің бәрін қамтымайды.
reason-ART25_2_1_CATEGORY_NOT_APPROVED = Сұралған дербес деректер осы мақсат үшін бекітілген тізбеде жоқ.
reason-ART15_TRANSFER_NOT_CONSENTED = Келісім үшінші тұлғаларға беруге жол бермейді.
reason-ART15_RECIPIENT_NOT_NAMED = Келісімде бұл алушы көрсетілмеген.
reason-ART7_3_DISSEMINATION_NOT_CONSENTED = Келісім жалпыға бірдей қолжетімді дереккөздерде таратуға жол бермейді.
reason-ART16_3_NO_CROSS_BORDER_CONSENT = Алушы ел қорғауды қамтамасыз етпейді, оған трансшекаралық беруге келісім де, 16-баптың 3-тармағының негізі де жоқ.
reason-ART1_3_DATA_BLOCKED = Субъектінің дербес деректері бұғатталған: кез келген өңдеу тоқтатылған.
reason-ART12_2_STORAGE_TERM_ELAPSED = Осы мақсат үшін сақтау мерзімі өтті; деректер жойылуға тиіс.
reason-ART9_GROUND_NOT_REGISTERED = Ұйым 9-баптың бұл негізі үшін тіркелмеген.

## Күнтізбенің демалыс күндері.
holiday-new-year = Жаңа жыл
holiday-orthodox-christmas = Православиелік Рождество
holiday-womens-day = Халықаралық әйелдер күні
holiday-nauryz = Наурыз мейрамы
holiday-unity-day = Қазақстан халқының бірлігі мерекесі
holiday-defender-day = Отан қорғаушы күні
holiday-victory-day = Жеңіс күні
holiday-capital-day = Астана күні
holiday-constitution-day = Конституция күні
holiday-republic-day = Республика күні
holiday-independence-day = Тәуелсіздік күні
holiday-kurban-ait = Құрбан айт, бірінші күні

