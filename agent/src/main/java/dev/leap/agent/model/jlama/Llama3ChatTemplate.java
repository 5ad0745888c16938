package dev.leap.agent.model.jlama;

/**
 * A chat template in the Llama 3.1 / 3.2 format, for the synthetic models Leap writes.
 *
 * <p>It reads the message shapes Jlama's {@code PromptSupport} passes in: roles system, user,
 * assistant, {@code tool_call} (one call per message, under {@code tool_calls[0].function}) and
 * {@code tool} (content {@code {"content": {"result": ...}}}); it also accepts the Hugging Face
 * spellings ({@code ipython}, an assistant message with {@code tool_calls}). Tool definitions go
 * into the system turn, as Llama 3.1 does with {@code tools_in_user_message = false}, so they do not
 * move when older user turns are trimmed from a conversation. Jlama turns tool support on only when
 * a template mentions tools, which this one does.
 *
 * <p>{@code bos_token} is rendered as given; Jlama passes an empty string and the begin-of-text
 * token is added when the prompt is encoded.
 */
final class Llama3ChatTemplate {

    static final String TEMPLATE = """
            {{- bos_token }}
            {%- if date_string is not defined %}
                {%- set date_string = "26 Jul 2024" %}
            {%- endif %}
            {%- set system_text = "" %}
            {%- if messages and messages[0].role == "system" %}
                {%- set system_text = messages[0].content | trim %}
            {%- endif %}
            {{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
            {%- if tools %}
                {{- "Environment: ipython\\n" }}
            {%- endif %}
            {{- "Cutting Knowledge Date: December 2023\\n" }}
            {{- "Today Date: " + date_string + "\\n\\n" }}
            {%- if tools %}
                {{- "You can call the functions below. To call one, reply with nothing but a JSON object " }}
                {{- "of the form {\\"name\\": function name, \\"parameters\\": object of argument names and values}. " }}
                {{- "Do not use variables.\\n\\n" }}
                {%- for tool in tools %}
                    {{- tool | tojson }}
                    {{- "\\n\\n" }}
                {%- endfor %}
            {%- endif %}
            {{- system_text }}
            {{- "<|eot_id|>" }}
            {%- for message in messages %}
                {%- if loop.first and message.role == "system" %}
                {%- elif message.tool_calls is defined and message.tool_calls %}
                    {%- set call = message.tool_calls[0].function %}
                    {{- "<|start_header_id|>assistant<|end_header_id|>\\n\\n" }}
                    {{- "{\\"name\\": \\"" + call.name + "\\", \\"parameters\\": " }}
                    {{- call.arguments | tojson }}
                    {{- "}<|eot_id|>" }}
                {%- elif message.role == "tool" or message.role == "ipython" %}
                    {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
                    {%- if message.content is mapping and message.content.content is defined and message.content.content.result is defined %}
                        {%- set result = message.content.content.result %}
                        {%- if result is string %}
                            {{- result }}
                        {%- else %}
                            {{- result | tojson }}
                        {%- endif %}
                    {%- elif message.content is string %}
                        {{- message.content }}
                    {%- else %}
                        {{- message.content | tojson }}
                    {%- endif %}
                    {{- "<|eot_id|>" }}
                {%- else %}
                    {{- "<|start_header_id|>" + message.role + "<|end_header_id|>\\n\\n" }}
                    {{- message.content | trim }}
                    {{- "<|eot_id|>" }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- "<|start_header_id|>assistant<|end_header_id|>\\n\\n" }}
            {%- endif %}
            """;

    private Llama3ChatTemplate() {}
}
