## Консоль: мақсаттар, тізбелер, келісімдер (web-org-…).
web-org-fix-field = «{ $field }» өрісін түзетіңіз
web-org-sensitivity = { $sensitivity ->
    [public] Жалпыға бірдей қолжетімді
    [biometric] Биометриялық
   *[restricted] Қолжетімділігі шектеулі
}
web-org-sensitivity-title = Деректер түрі
web-org-purposes-title = Мақсаттар және деректердің бекітілген тізбелері
web-org-purposes-intro = Оператор өңдеудің әр мақсаты үшін қажетті және жеткілікті дербес деректердің тізбесін (Заңның 25-бабы 2-тармағының 1) тармақшасы) және сақтау мерзімін (12-баптың 2-тармағы) бекітеді. Келісім тек мақсат тізбесіндегі деректерге қатысты болады, одан тыс жинауға болмайды (7-баптың 9-тармағы).
web-org-purposes-caption = Ұйымның мақсаттары
web-org-purposes-none = Ұйым әлі бірде-бір мақсат жарияламаған.
web-org-purpose-code = Мақсат коды
web-org-purpose-name = Атауы
web-org-approved-list = Дербес деректердің бекітілген тізбесі
web-org-storage-term = Сақтау мерзімі
web-org-declare-purpose = Мақсат жариялау
web-org-purpose-title = «{ $name }» мақсаты
web-org-description = Сипаттамасы
web-org-category = Деректер санаты
web-org-category-code = Коды
web-org-categories-count = Тізбеде { $count } санат бар.
web-org-ask-consent = Субъектіден келісім сұрау
web-org-all-purposes = Барлық мақсаттар
web-org-purpose-form-title = Өңдеудің жаңа мақсаты
web-org-purpose-form-intro = Осы мақсат үшін қажетті және жеткілікті дербес деректердің тізбесін бекітіңіз (Заңның 25-бабы 2-тармағының 1) тармақшасы). Одан тыс жинауға болмайды (7-баптың 9-тармағы). Жарияланған мақсатты мұнда өзгерту мүмкін емес.
web-org-purpose-code-hint = Әріптен басталатын 2–64 кіші латын әрпі, цифр, «_» немесе «.», мысалы loan. Жүйелер оны API-да пайдаланады.
web-org-name-kk = Қазақша атауы
web-org-name-ru = Орысша атауы
web-org-name-en = Ағылшынша атауы (міндетті емес)
web-org-description-hint = Міндетті емес. Көрсетсеңіз, кемінде қазақ және орыс тілдерінде.
web-org-description-kk = Қазақша сипаттамасы
web-org-description-ru = Орысша сипаттамасы
web-org-description-en = Ағылшынша сипаттамасы
web-org-categories-legend = Бекітілген тізбедегі дербес деректер
web-org-categories-hint = Мақсатқа қажеттісін ғана белгілеңіз.
web-org-storage-term-days = Сақтау мерзімі, күнмен (12-баптың 2-тармағы)
web-org-storage-term-hint = Мысалы, 1825 — бес жыл; көп дегенде { $max }.
web-org-consents-title = Келісім сұраулары және келісімдер
web-org-consents-caption = Келісімдер мен сұраулар, жаңалары алдымен
web-org-consents-none = Бұл таңдау бойынша келісім жоқ.
web-org-shown = Көрсетілгені: { $count }.
web-org-consent-state = { $state ->
    [pending] Субъектінің жауабын күтуде
    [active] Қолданыста
    [refused] Субъект бас тартты
    [lapsed] Мерзімінде жауап берілмеді
    [withdrawn] Кері қайтарып алынды
    [expired] Мерзімі өтті
    [superseded] Жаңа нұсқамен ауыстырылды
   *[other] { $state }
}
web-org-requested-at = Сұралған күні
web-org-valid-until = Жарамдылық мерзімі
web-org-subject-destroyed = (субъектінің деректері жойылған)
web-org-pages = Беттер
web-org-first-page = Тізімнің басына
web-org-next-page = Келесі бет
web-org-all-consents = Барлық келісімдер
web-org-consent-title = Субъектінің келісімі
web-org-version = Нұсқасы
web-org-supersedes = бұрынғы нұсқаны ауыстырады
web-org-terms-as-shown = Субъект көретін шарттар (8-баптың 4-тармағы)
web-org-waiting-title = Жауап күтілуде
web-org-waiting = Субъект { $date } дейін жауап бере алады.
web-org-resend-hint = Субъект жаңа бір реттік код алады; бұрынғысы жарамсыз болады.
web-org-resend-code = Кодты қайта жіберу
web-org-code-sent = Субъектіге жаңа код жіберілді.
web-org-consent-event = { $event ->
    [requested] Ұйым сұрады
    [code_sent] Код жіберілді
    [confirmed] Келісім берілді
    [refused] Келісім беруден бас тартылды
    [withdrawn] Келісім кері қайтарып алынды
    [withdrawal_refused] Ұйымның негізі бойынша кері қайтарып алудан бас тартылды
    [withdrawal_ground_stated] Ұйым кері қайтарып алудан бас тарту негізін көрсетті
    [withdrawal_ground_lifted] Ұйым негізді алып тастады
    [expired] Мерзімі өтті
    [lapsed] Мерзімінде жауап берілмеді
    [superseded] Жаңа нұсқамен ауыстырылды
   *[other] Өзгертілді
}
web-org-actor = { $actor ->
    [subject] субъект
    [representative] заңды өкіл
    [organization] ұйым
    [administrator] әкімші
   *[service] сервис
}
web-org-ground-title = Кері қайтарып алудан бас тарту негізі (8-баптың 2-тармағы)
web-org-ground-intro = Егер бұл Қазақстан Республикасының заңдарына қайшы келсе не орындалмаған міндеттеме болса, субъект келісімді кері қайтарып ала алмайды. Негізді көрсетіңіз: сонда кері қайтарып алудан бас тартылады, ал субъектіге осы түсіндірме көрсетіледі.
web-org-ground-kind = Негізі
web-org-ground-kinds = { $kind ->
    [law] Кері қайтарып алу Қазақстан Республикасының заңдарына қайшы келеді
   *[unexecuted_obligation] Орындалмаған міндеттеме бар
}
web-org-ground-reference = Заң мен бап не шарт пен міндеттеме
web-org-ground-reference-hint = Мысалы: 01.03.2026 жылғы № 123 қарыз шарты, қарызды өтеу.
web-org-explanation-kk = Субъектіге түсіндірме, қазақша
web-org-explanation-ru = Субъектіге түсіндірме, орысша
web-org-explanation-en = Субъектіге түсіндірме, ағылшынша (міндетті емес)
web-org-ground-set = Негізді көрсету
web-org-ground-stated = Ұйымның кері қайтарып алудан бас тарту негізі
web-org-ground-explanation = Субъектіге түсіндірме
web-org-ground-lift-hint = Осыдан кейін субъект келісімді кері қайтарып ала алады.
web-org-ground-lift = Негізді алып тастау
web-org-request-title = Субъектіден келісім сұрау
web-org-request-intro = Субъект бір реттік код алады (телефонға немесе электрондық поштаға) және сол арқылы келісім береді не бас тартады. Сұрауда Заңның 8-бабы 4-тармағындағы барлық мәліметтер бар. Мұнда енгізілген дербес деректер тек осы нысанмен жіберіледі және бет мекенжайына ешқашан түспейді.
web-org-choose-purpose = Осы мақсаттың деректерін көрсету
web-org-no-purposes = Алдымен деректердің бекітілген тізбесі бар мақсат жариялаңыз.
web-org-surname = Тегі
web-org-given-name = Аты
web-org-patronymic = Әкесінің аты (міндетті емес)
web-org-contact-hint = Код қайда жіберіледі: телефон нөмірі, электрондық пошта мекенжайы немесе екеуі де.
web-org-phone = Телефон нөмірі, мысалы +77011234567
web-org-email = Электрондық пошта мекенжайы
web-org-language = Субъектіге хабарламалар тілі
web-org-data-legend = Жиналатын дербес деректер (бекітілген тізбеден)
web-org-terms-legend = Мерзімі және беру
web-org-valid-from = Мерзімнің басталуы (міндетті емес)
web-org-valid-from-hint = Бос болса — субъект келісім берген сәттен.
web-org-valid-until-field = Келісім осы күнді қоса алғанда жарамды
web-org-valid-until-hint = Сервис уақыты бойынша осы күннің соңына дейін.
web-org-transfer-allowed = Үшінші тұлғаларға беруге рұқсат етіледі
web-org-recipients = Үшінші тұлғалардың БСН-і
web-org-recipients-hint = Беруге рұқсат етілсе, міндетті; бос орын немесе үтір арқылы.
web-org-cross-border-allowed = Трансшекаралық беруге рұқсат етіледі
web-org-countries = Трансшекаралық беру елдері
web-org-countries-hint = ISO 3166-1 екі әріпті кодтары, мысалы DE немесе BY; трансшекаралық беруге рұқсат етілсе, міндетті.
web-org-public-allowed = Жалпыға бірдей қолжетімді дереккөздерде таратуға рұқсат етіледі
web-org-other-hint = Міндетті емес. Көрсетсеңіз, кемінде қазақ және орыс тілдерінде.
web-org-other-kk = Өзге де мәліметтер, қазақша
web-org-other-ru = Өзге де мәліметтер, орысша
web-org-other-en = Өзге де мәліметтер, ағылшынша
web-org-respond-by = Жауап беру мерзімі (міндетті емес)
web-org-respond-by-hint = Бос болса — 7 күн; көп дегенде 90 күн.
web-org-send-request = Сұрауды жіберу
