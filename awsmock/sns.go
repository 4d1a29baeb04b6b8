package awsmock

import (
	"time"
	"unicode"

	"github.com/refreshgen/refreshgen/sim"
)

// topic is an SNS topic and what was published to it.
type topic struct {
	published []Message
}

// Message is one message published to a topic.
type Message struct {
	Time       time.Time
	TopicArn   string
	Subject    string
	Message    string
	Attributes map[string]string
}

// Published lists the messages published to the topic arn, oldest first.
func (w *World) Published(arn string) []Message {
	for _, a := range w.accounts {
		if t := a.topics[arn]; t != nil {
			return append([]Message(nil), t.published...)
		}
	}
	return nil
}

// publish sends a message to a topic of the caller's account.
func (w *World) publish(r *request) (any, *sim.Failure) {
	arn, err := r.required("TopicArn")
	if err != nil {
		return nil, err
	}
	body, err := r.required("Message")
	if err != nil {
		return nil, err
	}
	subject, err := r.str("Subject")
	if err != nil {
		return nil, err
	}
	t := r.acct.topics[arn]
	if t == nil {
		return nil, r.fail("NotFoundException", 404, "Topic does not exist")
	}
	if len(subject) > 100 || !printableASCII(subject) {
		return nil, r.fail("InvalidParameterException", 400, "Invalid parameter: Subject must be ASCII text of at most 100 characters, without line breaks")
	}
	if len(body) > 256*1024 {
		return nil, r.fail("InvalidParameterException", 400, "Invalid parameter: Message too long")
	}
	attrs := map[string]string{}
	if m, _ := r.object("MessageAttributes"); m != nil {
		for k, v := range m {
			a, _ := v.(map[string]any)
			typ, _ := a["DataType"].(string)
			value, _ := a["StringValue"].(string)
			if typ == "" || value == "" {
				return nil, r.fail("InvalidParameterException", 400, "Invalid parameter: The message attribute '%s' must contain non-empty message attribute value and type", k)
			}
			attrs[k] = value
		}
	}
	t.published = append(t.published, Message{Time: r.now, TopicArn: arn, Subject: subject, Message: body, Attributes: attrs})
	out := map[string]any{"MessageId": w.uuid()}
	if !r.op.sdk {
		out["SdkHttpMetadata"] = map[string]any{"HttpStatusCode": 200}
		out["SdkResponseMetadata"] = map[string]any{"RequestId": w.uuid()}
	}
	return out, nil
}

func printableASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
