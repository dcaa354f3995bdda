## Консоль: цели, перечни, согласия (web-org-…).
web-org-fix-field = Исправьте поле «{ $field }»
web-org-sensitivity = { $sensitivity ->
    [public] Общедоступные
    [biometric] Биометрические
   *[restricted] Ограниченного доступа
}
web-org-sensitivity-title = Вид данных
web-org-purposes-title = Цели и утверждённые перечни данных
web-org-purposes-intro = Для каждой цели обработки оператор утверждает перечень персональных данных, необходимых и достаточных для неё (пп. 1 п. 2 ст. 25 Закона), и срок хранения (п. 2 ст. 12). Согласие может касаться только данных из перечня цели, собирать сверх него нельзя (п. 9 ст. 7).
web-org-purposes-caption = Цели организации
web-org-purposes-none = Организация ещё не объявила ни одной цели.
web-org-purpose-code = Код цели
web-org-purpose-name = Название
web-org-approved-list = Утверждённый перечень персональных данных
web-org-storage-term = Срок хранения
web-org-declare-purpose = Объявить цель
web-org-purpose-title = Цель «{ $name }»
web-org-description = Описание
web-org-category = Категория данных
web-org-category-code = Код
web-org-categories-count = { $count ->
    [one] В перечне { $count } категория.
    [few] В перечне { $count } категории.
   *[many] В перечне { $count } категорий.
}
web-org-ask-consent = Запросить согласие субъекта
web-org-all-purposes = Все цели
web-org-purpose-form-title = Новая цель обработки
web-org-purpose-form-intro = Утвердите перечень персональных данных, необходимых и достаточных для этой цели (пп. 1 п. 2 ст. 25 Закона). Собирать сверх него нельзя (п. 9 ст. 7). Объявленную цель здесь изменить нельзя.
web-org-purpose-code-hint = От 2 до 64 строчных латинских букв, цифр, «_» или «.», начиная с буквы, например loan. Системы используют его в API.
web-org-name-kk = Название на казахском
web-org-name-ru = Название на русском
web-org-name-en = Название на английском (необязательно)
web-org-description-hint = Необязательно. Если указываете, то хотя бы на казахском и русском.
web-org-description-kk = Описание на казахском
web-org-description-ru = Описание на русском
web-org-description-en = Описание на английском
web-org-categories-legend = Персональные данные в утверждённом перечне
web-org-categories-hint = Отметьте только то, что нужно для цели.
web-org-storage-term-days = Срок хранения, дней (п. 2 ст. 12)
web-org-storage-term-hint = Например, 1825 — пять лет; не более { $max }.
web-org-consents-title = Запросы согласия и согласия
web-org-consents-caption = Согласия и запросы, сначала новые
web-org-consents-none = По этому выбору согласий нет.
web-org-shown = { $count ->
    [one] Показано { $count } согласие.
    [few] Показано { $count } согласия.
   *[many] Показано { $count } согласий.
}
web-org-consent-state = { $state ->
    [pending] Ждёт ответа субъекта
    [active] Действует
    [refused] Субъект отказал
    [lapsed] Нет ответа в срок
    [withdrawn] Отозвано
    [expired] Срок истёк
    [superseded] Заменено новой версией
   *[other] { $state }
}
web-org-requested-at = Запрошено
web-org-valid-until = Действует до
web-org-subject-destroyed = (данные субъекта уничтожены)
web-org-pages = Страницы
web-org-first-page = В начало списка
web-org-next-page = Следующая страница
web-org-all-consents = Все согласия
web-org-consent-title = Согласие субъекта
web-org-version = Версия
web-org-supersedes = заменяет прежнюю версию
web-org-terms-as-shown = Условия, как их видит субъект (п. 4 ст. 8)
web-org-waiting-title = Ожидание ответа
web-org-waiting = Субъект может ответить до { $date }.
web-org-resend-hint = Субъект получит новый одноразовый код; прежний перестанет действовать.
web-org-resend-code = Отправить код ещё раз
web-org-code-sent = Субъекту отправлен новый код.
web-org-consent-event = { $event ->
    [requested] Запрошено организацией
    [code_sent] Код отправлен
    [confirmed] Согласие дано
    [refused] В согласии отказано
    [withdrawn] Согласие отозвано
    [withdrawal_refused] В отзыве отказано по основанию организации
    [withdrawal_ground_stated] Организация указала основание для отказа в отзыве
    [withdrawal_ground_lifted] Организация сняла основание
    [expired] Срок истёк
    [lapsed] Нет ответа в срок
    [superseded] Заменено новой версией
   *[other] Изменено
}
web-org-actor = { $actor ->
    [subject] субъект
    [representative] законный представитель
    [organization] организация
    [administrator] администратор
   *[service] сервис
}
web-org-ground-title = Основание для отказа в отзыве (п. 2 ст. 8)
web-org-ground-intro = Субъект не может отозвать согласие, если это противоречит законам Республики Казахстан либо при наличии неисполненного обязательства. Укажите основание: тогда в отзыве будет отказано, а субъекту будет показано это объяснение.
web-org-ground-kind = Основание
web-org-ground-kinds = { $kind ->
    [law] Отзыв противоречит законам Республики Казахстан
   *[unexecuted_obligation] Есть неисполненное обязательство
}
web-org-ground-reference = Закон и статья либо договор и обязательство
web-org-ground-reference-hint = Например: договор займа № 123 от 01.03.2026, погашение займа.
web-org-explanation-kk = Объяснение для субъекта на казахском
web-org-explanation-ru = Объяснение для субъекта на русском
web-org-explanation-en = Объяснение для субъекта на английском (необязательно)
web-org-ground-set = Указать основание
web-org-ground-stated = Основание организации для отказа в отзыве
web-org-ground-explanation = Объяснение для субъекта
web-org-ground-lift-hint = После этого субъект сможет отозвать согласие.
web-org-ground-lift = Снять основание
web-org-request-title = Запросить согласие субъекта
web-org-request-intro = Субъект получит одноразовый код (по телефону или электронной почте) и с ним даст согласие или откажет. Запрос содержит все сведения п. 4 ст. 8 Закона. Введённые здесь персональные данные передаются только в этой форме и никогда не попадают в адрес страницы.
web-org-choose-purpose = Показать данные этой цели
web-org-no-purposes = Сначала объявите цель с утверждённым перечнем данных.
web-org-surname = Фамилия
web-org-given-name = Имя
web-org-patronymic = Отчество (необязательно)
web-org-contact-hint = Куда отправить код: номер телефона, адрес электронной почты или оба.
web-org-phone = Номер телефона, например +77011234567
web-org-email = Адрес электронной почты
web-org-language = Язык сообщений субъекту
web-org-data-legend = Собираемые персональные данные (из утверждённого перечня)
web-org-terms-legend = Срок и передача
web-org-valid-from = Начало срока (необязательно)
web-org-valid-from-hint = Если пусто — с момента, когда субъект даст согласие.
web-org-valid-until-field = Согласие действует по
web-org-valid-until-hint = До конца этого дня по времени сервиса.
web-org-transfer-allowed = Передача третьим лицам разрешена
web-org-recipients = БИН третьих лиц
web-org-recipients-hint = Обязательно, если передача разрешена; через пробел или запятую.
web-org-cross-border-allowed = Трансграничная передача разрешена
web-org-countries = Страны трансграничной передачи
web-org-countries-hint = Двухбуквенные коды ISO 3166-1, например DE или BY; обязательно, если трансграничная передача разрешена.
web-org-public-allowed = Распространение в общедоступных источниках разрешено
web-org-other-hint = Необязательно. Если указываете, то хотя бы на казахском и русском.
web-org-other-kk = Иные сведения на казахском
web-org-other-ru = Иные сведения на русском
web-org-other-en = Иные сведения на английском
web-org-respond-by = Ответить до (необязательно)
web-org-respond-by-hint = Если пусто — 7 дней; не более 90 дней.
web-org-send-request = Отправить запрос
