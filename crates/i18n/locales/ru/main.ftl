## Проблемы (application/problem+json). Код рядом с каждым текстом неизменен.
problem-malformed_json = Тело запроса не является корректным JSON ожидаемой структуры.
problem-unsupported_media_type = Передайте тело запроса как application/json.
problem-method_not_allowed = Этот метод недопустим для данного ресурса.
problem-payload_too_large = Тело запроса слишком велико.
problem-validation_failed = Значение отсутствует, слишком длинное или здесь недопустимо.
problem-invalid_iin = ИИН недействителен: он должен состоять из 12 цифр с верной контрольной цифрой и датой рождения.
problem-invalid_bin = БИН недействителен: он должен состоять из 12 цифр с верной контрольной цифрой.
problem-invalid_country = Код страны не является кодом ISO 3166-1 alpha-2.
problem-invalid_category_code = Код категории данных: от 2 до 64 строчных латинских букв, цифр, «_» или «.».
problem-invalid_purpose_code = Код цели: от 2 до 64 строчных латинских букв, цифр, «_» или «.».
problem-unknown_category = Категории данных { $category } нет в каталоге.
problem-unknown_purpose = Организация не объявила цель { $purpose }.
problem-unknown_holder = Собственник или оператор с таким БИН не зарегистрирован.
problem-category_not_approved = Категории данных { $category } нет в утверждённом перечне для этой цели (ст. 7 п. 9, ст. 25 п. 2 пп. 1 Закона).
problem-dates_out_of_order = Даты указаны не по порядку: окончание должно быть позже начала.
problem-term_in_past = Срок действия согласия уже истёк.
problem-invalid_contact = Контакт недействителен: номер телефона в виде +77011234567 или адрес электронной почты.
problem-invalid_cursor = Курсор страницы недействителен.
problem-unauthenticated = Войдите в систему или передайте действительный API-ключ.
problem-forbidden = У вас нет права на это действие.
problem-insufficient_scope = У API-ключа нет области доступа { $scope }.
problem-not_found = Не найдено.
problem-organization_exists = Организация с этим БИН уже зарегистрирована.
problem-category_exists = Категория данных с этим кодом уже существует.
problem-purpose_exists = У организации уже есть цель с этим кодом.
problem-not_an_operator = Собирать персональные данные и запрашивать согласие может только собственник или оператор.
problem-consent_not_pending = На запрос согласия уже дан ответ.
problem-consent_request_lapsed = Время для ответа на этот запрос согласия истекло.
problem-consent_not_active = Согласие не действует.
problem-supersedes_mismatch = Новой версией можно заменить только действующее согласие того же оператора, субъекта и цели.
problem-code_invalid = Неверный код.{ $attempts_left ->
    [none] {""}
   *[other] { " " }Осталось попыток: { $attempts_left }.
}
problem-code_expired = Срок действия кода истёк. Запросите новый.
problem-code_attempts_exhausted = Слишком много неверных кодов. Запросите новый.
problem-code_resend_limit = Для этого запроса больше нельзя отправить код.
problem-no_contact = Нет номера телефона или адреса электронной почты, куда отправить код.
problem-representative_authority_expired = Полномочия законного представителя истекли.
problem-not_yet_checkpointed = Запись ещё не покрыта подписанной контрольной точкой. Повторите через несколько секунд.
problem-unavailable = Сервис временно недоступен. Повторите попытку чуть позже.
problem-internal = Произошла ошибка на нашей стороне. Ничего не изменено; повторите попытку.
problem-request_not_open = На обращение уже дан ответ.
problem-documents_required = К обращению об изменении или дополнении персональных данных нужен хотя бы один подтверждающий документ.
problem-reason_required = В отказе должна быть указана причина.
problem-weak_password = Пароль должен содержать от { $min } до { $max } символов, не быть распространённым, не состоять из одного повторяющегося символа и не содержать ваш логин.
problem-credentials_invalid = Неверный логин, пароль или код.
problem-mfa_required = Подтвердите вход вторым фактором (кодом из приложения-аутентификатора или резервным кодом).
problem-mfa_not_enrolled = Сначала подключите приложение-аутентификатор.
problem-too_many_attempts = Слишком много попыток. Повторите через { $retry_after } с.
problem-csrf_failed = В запросе нет токена защиты от подделки запросов для этой сессии.
problem-account_exists = Учётная запись с таким логином уже существует.
problem-account_disabled = Эта учётная запись отключена.

## Сообщения людям.
message-consent_code = Qorgau: { $organization } запрашивает ваше согласие на обработку персональных данных ({ $purpose }). Код: { $code }. Действует { $minutes } мин. Никому его не сообщайте.
message-signin_code = Qorgau: ваш код для входа { $code }. Действует { $minutes } мин. Никому его не сообщайте.
message-request_received = Qorgau: { $organization } получил ваше обращение ({ $kind }). Ответ должен быть дан не позднее { $due } включительно.
message-request_completed = Qorgau: { $organization } ответил на ваше обращение ({ $kind }). Ответ — в Qorgau.
message-request_refused = Qorgau: { $organization } отказал по вашему обращению ({ $kind }) и указал причину. Подробности — в Qorgau.
message-request_overdue = Qorgau: { $organization } не ответил на ваше обращение ({ $kind }) до { $due }. Срок истёк; ответственному лицу организации сообщено.
message-request_overdue_dpo = Qorgau: срок ответа на обращение субъекта ({ $kind }, { $reference }) к { $organization } истёк { $due }. Ответьте немедленно.
message-consent_given = Qorgau: вы дали { $organization } согласие на обработку персональных данных ({ $purpose }).
message-consent_refused = Qorgau: вы отказали { $organization } в согласии ({ $purpose }).
message-consent_withdrawn = Qorgau: ваше согласие { $organization } ({ $purpose }) отозвано; обработка на его основании должна прекратиться.
message-withdrawal_refused = Qorgau: { $organization } отказал в отзыве согласия ({ $purpose }). Основание: { $reference }. { $reason }
message-consent_expired = Qorgau: срок вашего согласия { $organization } ({ $purpose }) истёк.
message-digest = Qorgau: ваши уведомления за день ({ $count }):
    { $items }
message-data_processed = Qorgau: { $organization } — { data-action-done } ваши персональные данные ({ $categories }) для цели «{ $purpose }»{ $recipient ->
    [none] .
   *[other] , получатель: { $recipient }.
}
data-action-done = { $action ->
    [collect] собрал(а)
    [view] просмотрел(а)
    [change] изменил(а)
    [supplement] дополнил(а)
    [use] использовал(а)
    [transfer] передал(а)
    [disseminate] распространил(а) в общедоступных источниках
    [depersonalize] обезличил(а)
    [block] заблокировал(а)
    [destroy] уничтожил(а)
   *[other] обработал(а)
}
request-kind = { $kind ->
    [information] информация об обработке ваших данных
    [change] изменение ваших данных
    [supplement] дополнение ваших данных
    [block] блокирование ваших данных
    [unblock] снятие блокирования ваших данных
    [destroy] уничтожение ваших данных
   *[remove_from_public_sources] исключение ваших данных из общедоступных источников
 }

## Основания решений о доступе. Код рядом с каждым текстом неизменен.
reason-ART8_CONSENT_IN_FORCE = Согласие субъекта на эту цель действует и охватывает этот доступ.
reason-ART9_GROUND_APPLIES = Разрешено без согласия по основанию статьи 9, для которого организация зарегистрирована.
reason-ART16_2_ADEQUATE_COUNTRY = Страна получателя обеспечивает защиту персональных данных.
reason-ART16_3_1_CROSS_BORDER_CONSENT = Субъект дал согласие на трансграничную передачу в эту страну.
reason-ART16_3_CROSS_BORDER_GROUND = Трансграничная передача основана на пункте 3 статьи 16.
reason-ART18_PROTECTIVE_ACTION = Блокирование и уничтожение персональных данных не требуют согласия.
reason-ART7_1_NO_ACTIVE_CONSENT = Нет действующего согласия субъекта на эту цель.
reason-ART7_8_PURPOSE_NOT_CONSENTED = Субъект дал согласие на другие цели, но не на эту.
reason-ART8_CONSENT_WITHDRAWN = Субъект отозвал согласие.
reason-ART8_4_CONSENT_EXPIRED = Срок действия согласия истёк.
reason-ART8_4_CONSENT_NOT_YET_VALID = Срок действия согласия ещё не начался.
reason-ART8_CONSENT_SUPERSEDED = Эта версия согласия заменена более новой.
reason-ART7_9_CATEGORY_NOT_CONSENTED = Согласие охватывает не все запрошенные персональные данные.
reason-ART25_2_1_CATEGORY_NOT_APPROVED = Запрошенных персональных данных нет в утверждённом перечне для этой цели.
reason-ART15_TRANSFER_NOT_CONSENTED = Согласие не допускает передачу третьим лицам.
reason-ART15_RECIPIENT_NOT_NAMED = Этот получатель не указан в согласии.
reason-ART7_3_DISSEMINATION_NOT_CONSENTED = Согласие не допускает распространение в общедоступных источниках.
reason-ART16_3_NO_CROSS_BORDER_CONSENT = Страна получателя не обеспечивает защиту, и нет ни согласия на трансграничную передачу в неё, ни основания пункта 3 статьи 16.
reason-ART1_3_DATA_BLOCKED = Персональные данные субъекта заблокированы: любая обработка приостановлена.
reason-ART12_2_STORAGE_TERM_ELAPSED = Срок хранения для этой цели истёк; данные подлежат уничтожению.
reason-ART9_GROUND_NOT_REGISTERED = Организация не зарегистрирована для этого основания статьи 9.

## Дни отдыха календаря.
holiday-new-year = Новый год
holiday-orthodox-christmas = Православное Рождество
holiday-womens-day = Международный женский день
holiday-nauryz = Наурыз мейрамы
holiday-unity-day = Праздник единства народа Казахстана
holiday-defender-day = День защитника Отечества
holiday-victory-day = День Победы
holiday-capital-day = День Столицы
holiday-constitution-day = День Конституции
holiday-republic-day = День Республики
holiday-independence-day = День Независимости
holiday-kurban-ait = Курбан айт, первый день

