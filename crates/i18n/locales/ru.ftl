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

## Веб-портал и консоль (web-…).
web-product = Qorgau
web-skip-to-content = Перейти к содержанию
web-nav-label = Главное меню
web-nav-home = Главная
web-nav-consents = Мои согласия
web-nav-history = Кто что делал с моими данными
web-nav-requests = Мои обращения
web-nav-inbox = Уведомления
web-nav-queue = Обращения
web-language = Язык
web-sign-out = Выйти
web-footer = Qorgau — контроль доступа к персональным данным по Закону № 94-V «О персональных данных и их защите».
web-datetime = { $day }.{ $month }.{ $year }, { $hour }:{ $minute }
web-date = { $day }.{ $month }.{ $year }
web-yes = Да
web-no = Нет
web-all = Все
web-apply = Показать
web-save = Сохранить
web-back = Назад
web-cancel = Отмена
web-continue = Продолжить
web-service = Qorgau
web-iin = ИИН
web-bin = БИН
web-state = Состояние
web-organization = Организация
web-action = Действие
web-subject = Субъект персональных данных
web-forbidden-title = Действие не разрешено
web-forbidden-text = Форма устарела или отправлена не с этого сайта. Откройте страницу заново и повторите.
web-not-found-title = Не найдено
web-not-found-text = Здесь нет ничего, что вам доступно.
web-failure-title = Сервис недоступен
web-failure-text = На нашей стороне произошла ошибка. Ничего не изменено. Повторите через минуту.
web-sign-in-title = Вход
web-sign-in-intro = Введите ИИН. Мы отправим одноразовый код на телефон или электронную почту, подтверждённые вами у организации.
web-send-code = Получить код
web-code-sent = Если этот ИИН известен сервису, 6-значный код уже отправлен. Он действует 5 минут.
web-code = Код
web-sign-in = Войти
web-start-again = Начать заново
web-totp-intro = Введите код из приложения-аутентификатора или один из резервных кодов.
web-totp-code = Код
web-home-title = Мои персональные данные
web-pending-title = Запросы вашего согласия
web-pending-none = Ни одна организация не ждёт вашего согласия.
web-summary-title = Коротко
web-active-count = { $count ->
    [one] Действует { $count } согласие.
    [few] Действуют { $count } согласия.
   *[many] Действуют { $count } согласий.
}
web-consents-title = Мои согласия
web-consents-none = Нет согласий для показа.
web-filter-state = Состояние
web-consent-state = { $state ->
    [pending] Ждёт вашего ответа
    [active] Действует
    [refused] Отказано
    [lapsed] Нет ответа в срок
    [withdrawn] Отозвано
    [expired] Срок истёк
    [superseded] Заменено новой версией
   *[other] { $state }
}
web-valid-until = Действует до { $date }
web-consent-title = Согласие на сбор и обработку персональных данных
web-term-operator = Кто запрашивает (собственник или оператор)
web-term-purpose = Цель обработки
web-term-period = Срок согласия
web-term-from-until = с { $from } до { $until }
web-from-confirmation = момента, когда вы его дадите
web-term-data = Собираемые персональные данные
web-term-transfer = Передача третьим лицам
web-term-cross-border = Трансграничная передача
web-term-public = Распространение в общедоступных источниках
web-term-storage = Срок хранения для этой цели
web-term-other = Иные сведения
web-term-representative = Законный представитель
web-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
web-withdrawal-refused-title = В отзыве согласия отказано
web-withdrawal-ground = Организация ссылается на: { $reference }
web-answer-title = Ваш ответ
web-answer-by = Ответьте до { $date }.
web-consent-code = Код из сообщения об этом запросе
web-confirm = Дать согласие
web-refuse = Отказать
web-download-receipt = Скачать подписанную квитанцию
web-withdraw = Отозвать согласие
web-consent-history = Что происходило с согласием
web-consent-event = { $event ->
    [requested] Запрошено организацией
    [code_sent] Код отправлен
    [confirmed] Согласие дано
    [refused] В согласии отказано
    [withdrawn] Согласие отозвано
    [withdrawal_refused] Организация отказала в отзыве
    [withdrawal_ground_stated] Организация указала основание для отказа в отзыве
    [expired] Срок истёк
    [lapsed] Нет ответа в срок
    [superseded] Заменено новой версией
   *[other] Изменено
}
web-withdraw-title = Отзыв согласия
web-withdraw-confirm = Отозвать ваше согласие для «{ $organization }» на цель «{ $purpose }»?
web-withdraw-effect = С этого момента организация не вправе обрабатывать ваши данные на основании этого согласия, если закон не допускает этого по иному основанию.
web-withdraw-yes = Да, отозвать
web-history-title = Кто что делал с моими данными
web-history-intro = Все действия с вашими персональными данными, записанные в сервисе, сначала новые. У каждой записи есть доказательство, что она в защищённом от подделки журнале.
web-history-none = По этому выбору записей нет.
web-period-from = С
web-period-to = По
web-proof = доказательство № { $index }
web-entry-processing = { $action } ваши персональные данные
web-entry-decision = запрос доступа к вашим данным ({ $action }): { $outcome ->
    [allow] разрешён
   *[deny] отказан
}
web-entry-kind = { $kind ->
    [consent-requested] запросила ваше согласие
    [consent-code_sent] отправила вам код согласия
    [consent-confirmed] вы дали согласие
    [consent-refused] вы отказали в согласии
    [consent-withdrawn] вы отозвали согласие
    [consent-withdrawal_refused] отказала в отзыве согласия
    [consent-withdrawal_ground_stated] указала основание для отказа в отзыве
    [consent-expired] срок согласия истёк
    [consent-lapsed] на запрос согласия не ответили в срок
    [consent-superseded] согласие заменено новой версией
    [request-filed] ваше обращение получено
    [request-assigned] ваше обращение передано исполнителю
    [request-completed] на ваше обращение дан ответ
    [request-refused] в вашем обращении отказано
    [request-overdue] срок ответа на обращение истёк
    [notification-sent] вам отправлено уведомление
    [signin-failed] неудачная попытка входа
    [signin-locked] вход временно заблокирован
    [session-started] вы вошли
    [session-ended] вы вышли
   *[other] запись о вас
}
web-requests-title = Мои обращения
web-requests-none = Вы ещё не подавали обращений.
web-file-request = Подать обращение
web-request-intro = Спросите организацию об обработке ваших данных или потребуйте изменить, дополнить, заблокировать, разблокировать или уничтожить их. Ответ обязателен в установленный законом срок в рабочих днях.
web-organization-bin = БИН организации
web-request-kind = Что вы просите
web-request-text = Ваш текст (обязателен для изменения или дополнения)
web-file = Подать обращение
web-request-title = Обращение
web-request-state = { $state ->
    [open] Открыто
    [completed] Дан ответ
    [refused] Отказано
   *[other] { $state }
}
web-overdue = Просрочено
web-answered-late = Ответ с опозданием
web-due = Ответ до { $date }
web-due-by = Срок ответа
web-received = Получено
web-working-days = { $count ->
    [one] { $count } рабочий день
    [few] { $count } рабочих дня
   *[many] { $count } рабочих дней
}
web-answer = Ответ организации
web-refusal-reason = Причина отказа
web-destroyed-instead = Данные нельзя было изменить, и они уничтожены.
web-information-summary = Согласий, известных сервису: { $consents }; записанных действий с вашими данными: { $processing }.
web-data-blocked = Ваши персональные данные в этой организации заблокированы.
web-preferences-title = Как вас уведомлять
web-channels = Каналы помимо входящих здесь
web-channel = { $channel ->
    [sms] SMS
   *[email] Электронная почта
}
web-digest = Одно сообщение в день обо всём (коды приходят сразу)
web-inbox-title = Ваши уведомления
web-inbox-none = Уведомлений пока нет.
web-delivery = { $status ->
    [queued] ждёт отправки
    [sent] отправлено
    [delivered] доставлено
    [failed] не удалось доставить
    [inbox] только здесь
    [held] отложено до ежедневного сообщения
    [digested] отправлено в ежедневном сообщении
   *[other] { $status }
}
web-console-sign-in-title = Консоль организации
web-console-intro = Сотрудники входят по паролю и затем по коду аутентификатора, всегда.
web-email = Электронная почта
web-password = Пароль
web-enroll-title = Настройте аутентификатор
web-enroll-intro = Чтобы завершить первый вход, добавьте Qorgau в приложение-аутентификатор (TOTP).
web-enroll-secret = Введите этот ключ или откройте ссылку ниже на телефоне с приложением:
web-enroll-confirm = Подтвердить
web-recovery-title = Резервные коды
web-recovery-intro = Сохраните эти коды в надёжном месте. Каждый действует один раз, если вы потеряете аутентификатор. Они показываются только сейчас.
web-queue-title = Обращения субъектов
web-queue-caption = Обращения, сначала с ближайшим сроком
web-queue-empty = По этому выбору обращений нет.
web-only-overdue = Только просроченные
web-complete-title = Ответить на обращение
web-answer-text = Ответ или что сделано
web-destroyed-instead-option = Данные нельзя было изменить, и они уничтожены
web-complete = Отправить ответ
web-refuse-title = Отказать в обращении
web-refuse-request = Отказать по этой причине
